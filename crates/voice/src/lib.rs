//! The offline voice: espeak-ng, the speech engine Debian ships (`apt-get install espeak-ng`),
//! run as a program for each utterance. No network, no recorded voice under a licence that
//! forbids selling; the lexicon in `mpp_core::speech` corrects its Indonesian. An utterance
//! renders in tens of milliseconds, so nothing is cached here.

mod chime;
mod run;
mod wav;

use std::path::PathBuf;
use std::time::Duration;

use mpp_core::lang::Language;
use mpp_core::speech::Utterance;

pub use chime::chime;
pub use run::VoiceError;
pub use wav::Wav;

/// The engine and how it speaks.
#[derive(Clone, Debug)]
pub struct Voice {
    /// The espeak-ng program: found on PATH by default.
    pub program: PathBuf,
    /// Words per minute: slower than espeak-ng's 175, as a caller speaks in a hall.
    pub words_per_minute: u32,
    /// How long one utterance may take before the engine is stopped.
    pub timeout: Duration,
}

impl Default for Voice {
    fn default() -> Self {
        Voice {
            program: PathBuf::from("espeak-ng"),
            words_per_minute: 145,
            timeout: Duration::from_secs(10),
        }
    }
}

impl Voice {
    /// The utterance as WAV audio (16-bit mono PCM at the voice's rate, 22,050 Hz).
    pub fn wav(&self, utterance: &Utterance) -> Result<Wav, VoiceError> {
        let output = self.run(utterance, &["--stdout"])?;
        Wav::from_engine(output).map_err(|bytes| VoiceError::NotWav {
            program: self.program.clone(),
            bytes,
        })
    }

    /// The phonemes the engine would say, in its own notation: to check the lexicon reaches
    /// it, and for a technician's doctor.
    pub fn phonemes(&self, utterance: &Utterance) -> Result<String, VoiceError> {
        let output = self.run(utterance, &["-q", "-x"])?;
        Ok(String::from_utf8_lossy(&output).trim().to_owned())
    }

    fn run(&self, utterance: &Utterance, output: &[&str]) -> Result<Vec<u8>, VoiceError> {
        let speed = self.words_per_minute.to_string();
        let mut arguments = vec!["-v", voice_name(utterance.language), "-m", "-s", &speed];
        arguments.extend_from_slice(output);
        arguments.push("--stdin");
        run::run(&self.program, &arguments, &utterance.ssml(), self.timeout)
    }
}

/// espeak-ng's voice for a language (both ship in Debian's espeak-ng-data).
fn voice_name(language: Language) -> &'static str {
    match language {
        Language::Indonesian => "id",
        Language::English => "en",
    }
}

#[cfg(test)]
mod tests;
