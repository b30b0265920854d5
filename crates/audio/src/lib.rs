//! Sound out of one ALSA device (the kiosk's headphone jack), played on a thread of its own so
//! that whoever asks never waits, and cut as soon as newer sound is asked for: a visitor
//! pressing keys hears the answer to the last key, not the end of the previous prompt.
//!
//! libasound is opened at run time ([`alsa`]): a kiosk without it, or without the device, is a
//! clear [`Output`] state that `doctor` and the maintenance menu show, never a crash; each new
//! sound tries the device again, so headphones or a USB card plugged in later are used.

mod alsa;

use std::fmt;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::Instant;

pub use alsa::{LIBRARY, LoadError};

/// Frames written between two looks at whether the sound was cut (~23 ms at 22,050 Hz).
const CHUNK_FRAMES: usize = 512;

/// Whether sound can come out, as last found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Output {
    /// Nothing played or probed yet.
    Unknown,
    /// The device opened and took the format.
    Ready { device: String },
    /// libasound is not there (or not whole): no ALSA at all.
    NoLibrary(String),
    /// libasound is there but the device would not open: no sound card, headphones' USB card
    /// unplugged, a wrong `device` in the configuration.
    NoDevice { device: String, reason: String },
}

impl Output {
    pub fn is_ready(&self) -> bool {
        matches!(self, Output::Ready { .. })
    }
}

impl fmt::Display for Output {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Output::Unknown => f.write_str("not tried yet"),
            Output::Ready { device } => write!(f, "ready on ALSA device {device}"),
            Output::NoLibrary(reason) => write!(f, "no ALSA: {reason}"),
            Output::NoDevice { device, reason } => {
                write!(f, "ALSA device {device} does not open: {reason}")
            }
        }
    }
}

/// Whether `device` opens for 16-bit mono at `rate`: opened and closed at once, nothing heard.
pub fn probe(device: &str, rate: u32) -> Output {
    match alsa::Alsa::load() {
        Ok(library) => open_state(&library, device, rate).1,
        Err(error) => Output::NoLibrary(error.to_string()),
    }
}

fn open_state(library: &Arc<alsa::Alsa>, device: &str, rate: u32) -> (Option<alsa::Pcm>, Output) {
    match alsa::Pcm::open(library, device, rate) {
        Ok(pcm) => (
            Some(pcm),
            Output::Ready {
                device: device.to_owned(),
            },
        ),
        Err(reason) => (
            None,
            Output::NoDevice {
                device: device.to_owned(),
                reason,
            },
        ),
    }
}

/// Mono 16-bit samples at a rate, shared so a cached phrase is never copied.
#[derive(Clone, Debug)]
pub struct Sound {
    pub samples: Arc<[i16]>,
    pub rate: u32,
}

struct Shared {
    /// Bumped by every play and stop: a sound whose number is no longer the newest is cut.
    generation: AtomicU64,
    playing: AtomicBool,
    output: Mutex<Output>,
    /// When the last sound's first samples went to the device.
    started: Mutex<Option<Instant>>,
}

/// The playing thread of one device.
pub struct Player {
    shared: Arc<Shared>,
    sender: Sender<(u64, Sound)>,
    device: String,
}

impl Player {
    /// Starts the thread for `device`; nothing is opened until something is played.
    pub fn start(device: &str) -> Player {
        let shared = Arc::new(Shared {
            generation: AtomicU64::new(0),
            playing: AtomicBool::new(false),
            output: Mutex::new(Output::Unknown),
            started: Mutex::new(None),
        });
        let (sender, receiver) = channel();
        let worker = Worker {
            shared: Arc::clone(&shared),
            device: device.to_owned(),
            library: None,
        };
        let spawned = thread::Builder::new()
            .name("audio".into())
            .spawn(move || worker.run(receiver));
        if let Err(error) = spawned {
            tracing::error!(%error, "cannot start the audio thread; the kiosk stays silent");
        }
        Player {
            shared,
            sender,
            device: device.to_owned(),
        }
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    /// Plays `sound`, cutting whatever is playing; returns at once.
    pub fn play(&self, sound: Sound) {
        let generation = self.shared.generation.fetch_add(1, Ordering::SeqCst) + 1;
        self.shared.playing.store(true, Ordering::SeqCst);
        // The thread only ends with the player: a send cannot fail while `self` lives.
        let _ = self.sender.send((generation, sound));
    }

    /// Cuts whatever is playing.
    pub fn stop(&self) {
        self.shared.generation.fetch_add(1, Ordering::SeqCst);
    }

    /// Whether a sound is queued or playing.
    pub fn is_playing(&self) -> bool {
        self.shared.playing.load(Ordering::SeqCst)
    }

    /// When the last sound started: its first samples written to the device (for the
    /// key-to-speech benchmark).
    pub fn last_start(&self) -> Option<Instant> {
        *self
            .shared
            .started
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// The output as the last sound found it.
    pub fn output(&self) -> Output {
        self.shared
            .output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

struct Worker {
    shared: Arc<Shared>,
    device: String,
    library: Option<Arc<alsa::Alsa>>,
}

impl Worker {
    fn run(mut self, receiver: Receiver<(u64, Sound)>) {
        while let Ok(mut next) = receiver.recv() {
            // Only the newest of what piled up is worth hearing.
            while let Ok(newer) = receiver.try_recv() {
                next = newer;
            }
            let (generation, sound) = next;
            if self.is_current(generation) {
                self.play(generation, &sound);
            }
            if self.is_current(generation) {
                self.shared.playing.store(false, Ordering::SeqCst);
            }
        }
    }

    fn is_current(&self, generation: u64) -> bool {
        self.shared.generation.load(Ordering::SeqCst) == generation
    }

    fn play(&mut self, generation: u64, sound: &Sound) {
        let Some(library) = self.library() else {
            return;
        };
        let (pcm, output) = open_state(&library, &self.device, sound.rate);
        self.set_output(output);
        let Some(mut pcm) = pcm else {
            return;
        };
        for (index, chunk) in sound.samples.chunks(CHUNK_FRAMES).enumerate() {
            if !self.is_current(generation) {
                pcm.stop();
                return;
            }
            if let Err(reason) = pcm.write(chunk) {
                tracing::warn!(device = %self.device, %reason, "sound cut short");
                return;
            }
            if index == 0 {
                *self
                    .shared
                    .started
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner) = Some(Instant::now());
            }
        }
        pcm.finish();
    }

    fn library(&mut self) -> Option<Arc<alsa::Alsa>> {
        if self.library.is_none() {
            match alsa::Alsa::load() {
                Ok(library) => self.library = Some(library),
                Err(error) => self.set_output(Output::NoLibrary(error.to_string())),
            }
        }
        self.library.clone()
    }

    fn set_output(&self, output: Output) {
        let mut current = self
            .shared
            .output
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if *current != output {
            tracing::info!(%output, "audio output");
            *current = output;
        }
    }
}

#[cfg(test)]
mod tests;
