//! `mpp-kiosk speech …`: the speech mode's voice and headphone output, for technicians and CI;
//! and the lines `doctor` prints about them.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Subcommand, ValueEnum};

use mpp_core::lang::Language;
use mpp_core::speech::kiosk;
use mpp_station::config::Config;
use mpp_station::speaker::{play_through, voice_for};
use mpp_voice::Voice;

use super::Invocation;
use super::output::{OutputError, say};

/// The sample lasts a few seconds; a device that takes longer is stuck.
const LONGEST_PLAY: Duration = Duration::from_secs(20);

#[derive(Subcommand)]
pub enum SpeechCommand {
    /// Speak a sample through the configured headphone output, or write it to a WAV file.
    Test {
        /// Write the sample here (16-bit mono WAV) instead of playing it.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[arg(long, value_enum, default_value = "id")]
        language: LanguageArg,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum LanguageArg {
    Id,
    En,
}

impl From<LanguageArg> for Language {
    fn from(language: LanguageArg) -> Language {
        match language {
            LanguageArg::Id => Language::Indonesian,
            LanguageArg::En => Language::English,
        }
    }
}

pub fn run(command: SpeechCommand, invocation: &Invocation) -> Result<ExitCode> {
    match command {
        SpeechCommand::Test { out, language } => test(invocation, out, language.into()),
    }
}

/// The configured voice (its speaking rate).
pub fn voice(config: &Config) -> Voice {
    voice_for(&config.speech)
}

fn test(invocation: &Invocation, out: Option<PathBuf>, language: Language) -> Result<ExitCode> {
    let loaded = invocation.config()?;
    let sample = kiosk::sample(language);
    let wav = voice(&loaded.config)
        .wav(&sample)
        .context("the voice cannot speak")?;
    let text = sample.plain_text();
    let seconds = wav.duration_ms() as f64 / 1000.0;
    if let Some(path) = out {
        std::fs::write(&path, wav.bytes())
            .with_context(|| format!("cannot write {}", path.display()))?;
        say!("wrote {} ({seconds:.1} s): {text}", path.display())?;
        return Ok(ExitCode::SUCCESS);
    }
    let device = &loaded.config.speech.device;
    let output = play_through(device, &wav, LONGEST_PLAY);
    if output.is_ready() {
        say!("played on {device} ({seconds:.1} s): {text}")?;
        Ok(ExitCode::SUCCESS)
    } else {
        say!(
            "no sound: {output}; set [speech] device in the configuration, or use --out FILE.wav"
        )?;
        Ok(ExitCode::FAILURE)
    }
}

/// `doctor`'s lines: the voice, the headphone output and the keypad, each a warning at most
/// (a kiosk without them still gives numbers).
pub fn doctor_lines(config: &Config) -> Vec<(bool, String)> {
    let speech = &config.speech;
    if !speech.enabled {
        return vec![(true, "speech mode is off ([speech] enabled = false)".into())];
    }
    let voice = match voice(config).wav(&kiosk::sample(Language::Indonesian)) {
        Ok(wav) => (
            true,
            format!(
                "voice: espeak-ng speaks ({} ms of sample)",
                wav.duration_ms()
            ),
        ),
        Err(error) => (false, format!("voice: {error}")),
    };
    let output = mpp_audio::probe(&speech.device, mpp_voice::RATE);
    let output = (
        output.is_ready(),
        format!("headphone output: {output}; `mpp-kiosk speech test` plays a sample"),
    );
    let keypad = match mpp_station::keypad::keyboards() {
        Some(names) if !names.is_empty() => (true, format!("keypad: {}", names.join(", "))),
        Some(_) => (false, "keypad: no keypad or keyboard is plugged in".into()),
        None => (
            false,
            format!("keypad: cannot read {}", mpp_station::keypad::INPUT_DEVICES),
        ),
    };
    vec![voice, output, keypad]
}

/// Prints [`doctor_lines`] as doctor's `ok` and `warning` lines.
pub fn print_doctor_lines(config: &Config) -> Result<(), OutputError> {
    for (fine, line) in doctor_lines(config) {
        let (what, detail) = line.split_once(": ").unwrap_or(("speech", line.as_str()));
        if fine {
            say!("ok       speech {what}: {detail}")?;
        } else {
            say!("warning  speech {what}: {detail}")?;
        }
    }
    Ok(())
}
