//! The kiosk's voice in speech mode: an utterance rendered by espeak-ng (`mpp_voice`) on a
//! thread of its own, kept for the next time the same words are asked for, and played through
//! the headphone jack (`mpp_audio`) at the visitor's volume. Asking never waits, and new words
//! cut the old at once: the visitor hears the answer to the last key pressed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use mpp_audio::{Output, Player, Sound};
use mpp_core::speech::Utterance;
use mpp_voice::{Voice, VoiceError, Wav};

use crate::config::SpeechSection;

/// Rendered phrases kept (~100–200 KB each): the screens' openings, help and the choices
/// heard again; measured at ~50 MB for 200, so a visit's worth, not a day's.
const CACHE_SIZE: usize = 64;
/// Each volume step below the loudest is this much quieter.
const DB_PER_STEP: f32 = 3.0;

/// The visitor's volume: a step of `steps`, the last the loudest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Volume {
    pub step: u8,
    pub steps: u8,
}

impl Volume {
    pub fn louder(self) -> Volume {
        Volume {
            step: (self.step + 1).min(self.steps),
            ..self
        }
    }

    pub fn quieter(self) -> Volume {
        Volume {
            step: self.step.saturating_sub(1).max(1),
            ..self
        }
    }

    /// The factor the voice's samples are multiplied by.
    pub fn gain(self) -> f32 {
        let below = f32::from(self.steps.saturating_sub(self.step));
        10f32.powf(-below * DB_PER_STEP / 20.0)
    }
}

struct Request {
    generation: u64,
    utterance: Utterance,
    volume: Volume,
}

/// Speech mode's voice and headphone output.
pub struct Speaker {
    sender: Sender<Request>,
    generation: Arc<AtomicU64>,
    player: Arc<Player>,
    voice: Voice,
    volume: Mutex<Volume>,
    first_volume: Volume,
}

impl Speaker {
    pub fn start(settings: &SpeechSection) -> Speaker {
        let voice = voice_for(settings);
        let player = Arc::new(Player::start(&settings.device));
        let generation = Arc::new(AtomicU64::new(0));
        let (sender, receiver) = channel();
        let renderer = Renderer {
            voice: voice.clone(),
            player: Arc::clone(&player),
            generation: Arc::clone(&generation),
            cache: HashMap::new(),
        };
        let spawned = thread::Builder::new()
            .name("speech".into())
            .spawn(move || renderer.run(receiver));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the speech thread; speech mode stays silent");
        }
        let first_volume = Volume {
            step: settings.volume,
            steps: settings.volume_steps,
        };
        Speaker {
            sender,
            generation,
            player,
            voice,
            volume: Mutex::new(first_volume),
            first_volume,
        }
    }

    /// Says `utterance`, cutting whatever is being said; returns at once.
    pub fn say(&self, utterance: Utterance) {
        let generation = self.generation.fetch_add(1, Ordering::SeqCst) + 1;
        let volume = self.volume();
        let _ = self.sender.send(Request {
            generation,
            utterance,
            volume,
        });
    }

    /// Silence now (the visit ended).
    pub fn stop(&self) {
        self.generation.fetch_add(1, Ordering::SeqCst);
        self.player.stop();
    }

    pub fn volume(&self) -> Volume {
        *self.volume.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sets the volume for what is said next.
    pub fn set_volume(&self, volume: Volume) {
        *self.volume.lock().unwrap_or_else(PoisonError::into_inner) = volume;
    }

    /// Back to the configured volume: each visit starts there (ADA 707.8).
    pub fn reset_volume(&self) {
        self.set_volume(self.first_volume);
    }

    /// Whether something is being said or about to be.
    pub fn is_speaking(&self) -> bool {
        self.player.is_playing()
    }

    /// When the last phrase started to sound (see [`Player::last_start`]).
    pub fn last_start(&self) -> Option<Instant> {
        self.player.last_start()
    }

    /// The headphone output as the last sound found it.
    pub fn output(&self) -> Output {
        self.player.output()
    }

    pub fn device(&self) -> &str {
        self.player.device()
    }

    /// `utterance` as a WAV file's audio, at full volume (for `speech test --out`).
    pub fn render(&self, utterance: &Utterance) -> Result<Wav, VoiceError> {
        self.voice.wav(utterance)
    }
}

struct Renderer {
    voice: Voice,
    player: Arc<Player>,
    generation: Arc<AtomicU64>,
    cache: HashMap<String, Sound>,
}

impl Renderer {
    fn run(mut self, receiver: Receiver<Request>) {
        while let Ok(mut request) = receiver.recv() {
            while let Ok(newer) = receiver.try_recv() {
                request = newer;
            }
            if request.generation != self.generation.load(Ordering::SeqCst) {
                continue;
            }
            let Some(sound) = self.sound(&request.utterance) else {
                continue;
            };
            // Rendering took a moment: a key pressed meanwhile has the last word.
            if request.generation == self.generation.load(Ordering::SeqCst) {
                self.player.play(Sound {
                    samples: scaled(&sound.samples, request.volume.gain()),
                    rate: sound.rate,
                });
            }
        }
    }

    fn sound(&mut self, utterance: &Utterance) -> Option<Sound> {
        let key = format!("{}:{}", utterance.language.code(), utterance.ssml());
        if let Some(sound) = self.cache.get(&key) {
            return Some(sound.clone());
        }
        let wav = match self.voice.wav(utterance) {
            Ok(wav) => wav,
            Err(error) => {
                tracing::warn!(%error, "speech mode cannot speak");
                return None;
            }
        };
        // espeak-ng speaks mono: a second channel would only be the same voice.
        let sound = Sound {
            samples: wav
                .samples()
                .step_by(usize::from(wav.channels().max(1)))
                .collect(),
            rate: wav.sample_rate(),
        };
        if self.cache.len() >= CACHE_SIZE {
            self.cache.clear();
        }
        self.cache.insert(key, sound.clone());
        Some(sound)
    }
}

/// The voice as `[speech]` sets it (its speaking rate).
pub fn voice_for(settings: &SpeechSection) -> Voice {
    Voice {
        words_per_minute: settings.words_per_minute,
        ..Voice::default()
    }
}

/// A WAV's first channel (espeak-ng speaks mono; a second channel would be the same voice).
fn sound_of(wav: &Wav) -> Sound {
    Sound {
        samples: wav
            .samples()
            .step_by(usize::from(wav.channels().max(1)))
            .collect(),
        rate: wav.sample_rate(),
    }
}

fn scaled(samples: &[i16], gain: f32) -> Arc<[i16]> {
    samples
        .iter()
        .map(|sample| (f32::from(*sample) * gain) as i16)
        .collect()
}

/// Plays `wav` on `device` to its end (or for `limit` at most) and tells how the output was:
/// for `speech test` and the maintenance menu's test sound.
pub fn play_through(device: &str, wav: &Wav, limit: Duration) -> Output {
    let player = Player::start(device);
    player.play(sound_of(wav));
    let start = Instant::now();
    while player.is_playing() && start.elapsed() < limit {
        thread::sleep(Duration::from_millis(20));
    }
    player.stop();
    player.output()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn volume_steps_stay_in_range_and_the_loudest_is_unscaled() {
        let volume = Volume { step: 2, steps: 4 };
        assert_eq!(volume.quieter().step, 1);
        assert_eq!(volume.quieter().quieter().step, 1);
        assert_eq!(volume.louder().louder().louder().step, 4);
        assert!((volume.louder().louder().gain() - 1.0).abs() < 1e-6);
        let half = volume.gain();
        assert!((0.49..0.51).contains(&half), "two steps of 3 dB: {half}");
    }
}
