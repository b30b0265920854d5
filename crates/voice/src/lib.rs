//! The offline voice: espeak-ng, the speech engine Debian ships (`apt-get install espeak-ng`),
//! run as a program for each utterance. No network, no recorded voice under a licence that
//! forbids selling; the lexicon in `mpp_core::speech` corrects its Indonesian. An utterance
//! renders in tens of milliseconds, so nothing is cached here. An announcement joins the
//! engine's audio, the MPP's recorded clips and a pause between languages; [`mp3`] makes it
//! small for the browsers.

mod chime;
mod clips;
pub mod mp3;
mod pcm;
mod run;
mod wav;

use std::path::PathBuf;
use std::time::Duration;

use mpp_core::lang::Language;
use mpp_core::speech::{Announcement, Segment, Utterance};

pub use chime::chime;
pub use clips::{ClipError, Clips};
pub use pcm::{PcmError, RATE};
pub use run::VoiceError;
pub use wav::Wav;

/// The silence between one language's phrase and the next.
const LANGUAGE_PAUSE_MS: u32 = 700;
/// The silence where the engine's words and a clip meet (each trimmed of its own).
const JOIN_MS: u32 = 60;

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

    /// A whole announcement: each language's phrase in turn with [`LANGUAGE_PAUSE_MS`] between,
    /// the MPP's clip wherever the phrase names one (mono, 16-bit, 22,050 Hz).
    pub fn announcement(
        &self,
        announcement: &Announcement,
        clips: &Clips,
    ) -> Result<Wav, VoiceError> {
        let mut samples: Vec<i16> = Vec::new();
        for (index, utterance) in announcement.utterances.iter().enumerate() {
            if index > 0 {
                let kept = clips::trim(&samples, false, true).len();
                samples.truncate(kept);
                samples.extend(silence(LANGUAGE_PAUSE_MS));
            }
            let segments = utterance.segments();
            let last = segments.len().saturating_sub(1);
            for (at, segment) in segments.iter().enumerate() {
                let audio = match segment {
                    Segment::Speech(speech) => self.voice_samples(speech)?,
                    Segment::Clip { name, text } => match clips.get(name) {
                        Some(clip) => clip.to_vec(),
                        None => self.voice_samples(&Utterance {
                            language: utterance.language,
                            parts: mpp_core::speech::name_parts(text),
                        })?,
                    },
                };
                // Where two pieces meet, each loses its own silence and a short one is put in.
                let piece = clips::trim(&audio, at > 0, at < last);
                if at > 0 {
                    samples.extend(silence(JOIN_MS));
                }
                samples.extend_from_slice(piece);
            }
        }
        Ok(Wav::from_samples(RATE, &samples))
    }

    /// The utterance as the voice's samples (mono, [`RATE`]) whatever the engine gave.
    fn voice_samples(&self, utterance: &Utterance) -> Result<Vec<i16>, VoiceError> {
        let wav = self.wav(utterance)?;
        if (wav.sample_rate(), wav.channels()) == (RATE, 1) {
            return Ok(wav.samples().collect());
        }
        pcm::voice_samples(wav.bytes()).map_err(|_| VoiceError::NotWav {
            program: self.program.clone(),
            bytes: wav.bytes().len(),
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

fn silence(ms: u32) -> impl Iterator<Item = i16> {
    std::iter::repeat_n(0, (RATE * ms / 1000) as usize)
}

/// espeak-ng's voice for a language (both ship in Debian's espeak-ng-data).
fn voice_name(language: Language) -> &'static str {
    match language {
        Language::Indonesian => "id",
        Language::English => "en",
    }
}

#[cfg(test)]
mod announcement_tests;
#[cfg(test)]
mod tests;
