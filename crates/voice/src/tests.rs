use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;
use std::time::Duration;

use mpp_core::lang::Language;
use mpp_core::speech::Utterance;
use mpp_testkit::skip::skipped;

use super::*;

/// The real engine, or `None` (said loudly; a failure under CI) where it is not installed.
pub(crate) fn engine(test: &str) -> Option<Voice> {
    let voice = Voice::default();
    let installed = std::process::Command::new(&voice.program)
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success());
    if installed {
        Some(voice)
    } else {
        skipped(
            test,
            "espeak-ng is not installed (apt-get install espeak-ng)",
        );
        None
    }
}

fn call() -> Utterance {
    Utterance::call(Language::Indonesian, "DKC-014", "Loket 4")
}

/// A stand-in engine: a shell script with `body`, in a folder kept alive by the caller.
fn fake_engine(folder: &tempfile::TempDir, body: &str) -> Voice {
    let program: PathBuf = folder.path().join("espeak-ng");
    std::fs::write(&program, format!("#!/bin/sh\n{body}\n")).expect("write script");
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    Voice {
        program,
        timeout: Duration::from_millis(300),
        ..Voice::default()
    }
}

#[test]
fn a_call_is_whole_wav_audio_of_a_few_seconds() {
    let Some(voice) = engine("a_call_is_whole_wav_audio_of_a_few_seconds") else {
        return;
    };
    let wav = voice.wav(&call()).expect("audio");
    let bytes = wav.bytes();
    assert_eq!(&bytes[0..4], b"RIFF");
    let riff_size = u32::from_le_bytes(bytes[4..8].try_into().expect("4 bytes"));
    assert_eq!(riff_size as usize, bytes.len() - 8, "the true RIFF size");
    let data_size = u32::from_le_bytes(bytes[40..44].try_into().expect("4 bytes"));
    assert_eq!(data_size as usize, bytes.len() - 44, "the true data size");
    assert_eq!((wav.sample_rate(), wav.channels()), (22_050, 1));
    let ms = wav.duration_ms();
    assert!((2_000..10_000).contains(&ms), "a call lasts {ms} ms");
    let loudest = wav.samples().map(|s| s.unsigned_abs()).max().unwrap_or(0);
    assert!(loudest > 1_000, "not silence: loudest sample {loudest}");
}

#[test]
fn the_lexicon_reaches_the_engine() {
    let Some(voice) = engine("the_lexicon_reaches_the_engine") else {
        return;
    };
    let phonemes = voice.phonemes(&call()).expect("phonemes");
    // Schwa in "empat" and "belas", open e in "loket", letters with Indonesian names.
    for expected in ["@mp'at", "b@l'as", "l'okEt", "tS"] {
        assert!(phonemes.contains(expected), "{expected} in {phonemes}");
    }
    assert!(!phonemes.contains("'Empat"), "{phonemes}");
    let english = Utterance::call(Language::English, "DKC-014", "Loket 4");
    let phonemes = voice.phonemes(&english).expect("phonemes");
    assert!(phonemes.contains("f'o@ti:n"), "fourteen in {phonemes}");
}

#[test]
fn a_missing_engine_says_what_to_install() {
    let voice = Voice {
        program: PathBuf::from("/nonexistent/espeak-ng"),
        ..Voice::default()
    };
    let error = voice.wav(&call()).expect_err("no engine");
    assert!(
        matches!(error, VoiceError::NotInstalled { .. }),
        "{error:?}"
    );
    assert!(
        error.to_string().contains("apt-get install espeak-ng"),
        "{error}"
    );
}

#[test]
fn an_engine_that_hangs_is_stopped() {
    let folder = tempfile::tempdir().expect("tempdir");
    let voice = fake_engine(&folder, "exec sleep 30");
    let error = voice.wav(&call()).expect_err("hangs");
    assert!(matches!(error, VoiceError::TimedOut { .. }), "{error:?}");
}

#[test]
fn an_engine_that_fails_passes_on_its_complaint() {
    let folder = tempfile::tempdir().expect("tempdir");
    let voice = fake_engine(&folder, "cat >/dev/null; echo 'no voice id' >&2; exit 3");
    let error = voice.wav(&call()).expect_err("fails");
    let message = error.to_string();
    assert!(
        message.contains("no voice id") && message.contains('3'),
        "{message}"
    );
}

#[test]
fn output_that_is_not_wav_is_refused() {
    let folder = tempfile::tempdir().expect("tempdir");
    for body in [
        "cat >/dev/null; echo hello",
        // A WAV header claiming a compressed format.
        "cat >/dev/null; printf 'RIFF\\044\\000\\000\\000WAVEfmt \\020\\000\\000\\000\\002\\000\\001\\000\\042\\126\\000\\000\\104\\254\\000\\000\\002\\000\\020\\000data\\000\\000\\000\\000'",
    ] {
        let voice = fake_engine(&folder, body);
        let error = voice.wav(&call()).expect_err("not wav");
        assert!(
            matches!(error, VoiceError::NotWav { .. }),
            "{body}: {error:?}"
        );
    }
}

#[test]
fn the_engine_gets_the_ssml_on_stdin() {
    let folder = tempfile::tempdir().expect("tempdir");
    let seen = folder.path().join("seen");
    let voice = fake_engine(
        &folder,
        &format!("echo \"$@\" > {0}.args; cat > {0}", seen.display()),
    );
    voice.phonemes(&call()).expect("runs");
    let input = std::fs::read_to_string(&seen).expect("input");
    assert_eq!(input, call().ssml());
    let arguments = std::fs::read_to_string(seen.with_extension("args")).expect("args");
    assert_eq!(arguments.trim(), "-v id -m -s 145 -q -x --stdin");
}

/// The voice with no network at all: espeak-ng run in a network namespace of its own, where
/// not even loopback is up (`unshare --net`, as root: CI runs as root; elsewhere said loudly).
#[test]
fn a_call_is_spoken_with_no_route_out() {
    let test = "a_call_is_spoken_with_no_route_out";
    let Some(real) = engine(test) else {
        return;
    };
    let isolated = std::process::Command::new("unshare")
        .args(["--net", "true"])
        .status()
        .is_ok_and(|status| status.success());
    if !isolated {
        skipped(
            test,
            "no network namespace here (`unshare --net` needs root)",
        );
        return;
    }
    let folder = tempfile::tempdir().expect("tempdir");
    let wrapper = folder.path().join("espeak-ng");
    let body = format!(
        "#!/bin/sh\nexec unshare --net {} \"$@\"\n",
        which(&real.program).display()
    );
    std::fs::write(&wrapper, body).expect("write wrapper");
    std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let offline = Voice {
        program: wrapper,
        ..real.clone()
    };
    // A script just written can be "busy" for a moment while another test thread forks.
    let mut spoken = offline.wav(&call());
    for _ in 0..20 {
        let busy = matches!(&spoken, Err(VoiceError::Start { source, .. })
            if source.kind() == std::io::ErrorKind::ExecutableFileBusy);
        if !busy {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
        spoken = offline.wav(&call());
    }
    let wav = spoken.expect("spoken with no network");
    let online = real.wav(&call()).expect("spoken");
    assert_eq!(
        wav.bytes(),
        online.bytes(),
        "the same audio: nothing came from outside"
    );
    assert!(wav.duration_ms() > 1500, "{} ms", wav.duration_ms());
}

/// Where a program name is found on PATH.
fn which(program: &std::path::Path) -> PathBuf {
    if program.is_absolute() {
        return program.to_owned();
    }
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|folder| folder.join(program))
        .find(|path| path.is_file())
        .unwrap_or_else(|| program.to_owned())
}

#[test]
fn speech_modes_phrases_reach_the_engine_with_their_schwas() {
    let Some(voice) = engine("speech_modes_phrases_reach_the_engine_with_their_schwas") else {
        return;
    };
    let printing = mpp_core::speech::kiosk::printing(Language::Indonesian);
    let phonemes = voice.phonemes(&printing).expect("phonemes");
    for expected in ["s'@daN", "ditS'@tak"] {
        assert!(phonemes.contains(expected), "{expected} in {phonemes}");
    }
    assert!(!phonemes.contains("s'EdaN"), "{phonemes}");
}
