//! An MPP's own recordings of names (`[calling] clips_dir`): one WAV file a name, named as the
//! name is written in a point's name (`Dukcapil.wav`, `BPJS Kesehatan.wav`, or a whole
//! `Loket 3.wav`), played in place of the engine's words for it. Read once at start and
//! brought to the voice's format; a file that cannot be played stops the start with its name
//! and what is wrong (a technician just dropped it in and is there to fix it), while files that
//! are not `.wav` are passed over with a warning (a README beside the clips).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use mpp_core::speech::ClipNames;

use crate::pcm::{self, PcmError, RATE};

/// The longest clip: a name, not a message.
const LONGEST_MS: u64 = 10_000;
/// Quieter than this (about -36 dBFS) at a clip's ends is room noise, trimmed.
pub(crate) const SILENCE: u16 = 500;

/// Why the clips cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ClipError {
    #[error("cannot read the clips folder {}: {source}", folder.display())]
    Folder {
        folder: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the clip {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the clip {} cannot be played: {problem}", path.display())]
    Unplayable { path: PathBuf, problem: PcmError },
    #[error("the clip {} is silent", path.display())]
    Silent { path: PathBuf },
    #[error("the clip {} lasts {ms} ms: a name takes at most {LONGEST_MS} ms", path.display())]
    TooLong { path: PathBuf, ms: u64 },
    #[error("{} and {} are clips of the same name {name:?}", first.display(), second.display())]
    Twice {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
}

/// The clips, by name ([`ClipNames::key`]), as the voice's samples.
#[derive(Clone, Debug, Default)]
pub struct Clips {
    by_name: HashMap<String, (PathBuf, Vec<i16>)>,
}

impl Clips {
    /// Reads every `*.wav` in `folder` (not its subfolders). Blocking.
    pub fn load(folder: &Path) -> Result<Clips, ClipError> {
        let listing = std::fs::read_dir(folder).map_err(|source| ClipError::Folder {
            folder: folder.to_owned(),
            source,
        })?;
        let mut paths = Vec::new();
        for entry in listing {
            let entry = entry.map_err(|source| ClipError::Folder {
                folder: folder.to_owned(),
                source,
            })?;
            paths.push(entry.path());
        }
        paths.sort();
        let mut clips = Clips::default();
        for path in paths {
            let wav = path
                .extension()
                .is_some_and(|extension| extension.eq_ignore_ascii_case("wav"));
            if !wav || !path.is_file() {
                tracing::warn!(file = %path.display(), "not a .wav file: not a clip, passed over");
                continue;
            }
            let name = path
                .file_stem()
                .map(|stem| ClipNames::key(&stem.to_string_lossy()))
                .unwrap_or_default();
            let bytes = std::fs::read(&path).map_err(|source| ClipError::Read {
                path: path.clone(),
                source,
            })?;
            let samples = clip_samples(&path, &bytes)?;
            if let Some((first, _)) = clips.by_name.get(&name) {
                return Err(ClipError::Twice {
                    name,
                    first: first.clone(),
                    second: path,
                });
            }
            tracing::info!(clip = %path.display(), ms = samples.len() as u64 * 1000 / u64::from(RATE), "recorded clip");
            clips.by_name.insert(name, (path, samples));
        }
        Ok(clips)
    }

    /// A clip made here, for tests and tools.
    pub fn insert(&mut self, name: &str, samples: Vec<i16>) {
        let key = ClipNames::key(name);
        self.by_name.insert(key, (PathBuf::from(name), samples));
    }

    /// The names there are clips of, to find them in a point's name.
    pub fn names(&self) -> ClipNames {
        ClipNames::new(self.by_name.keys())
    }

    pub fn is_empty(&self) -> bool {
        self.by_name.is_empty()
    }

    /// The clip of `name` ([`ClipNames::key`]): mono, 16-bit, 22,050 Hz.
    pub fn get(&self, name: &str) -> Option<&[i16]> {
        self.by_name
            .get(name)
            .map(|(_, samples)| samples.as_slice())
    }
}

fn clip_samples(path: &Path, bytes: &[u8]) -> Result<Vec<i16>, ClipError> {
    let samples = pcm::voice_samples(bytes).map_err(|problem| ClipError::Unplayable {
        path: path.to_owned(),
        problem,
    })?;
    let trimmed = trim(&samples, true, true);
    if trimmed.is_empty() {
        return Err(ClipError::Silent {
            path: path.to_owned(),
        });
    }
    let ms = trimmed.len() as u64 * 1000 / u64::from(RATE);
    if ms > LONGEST_MS {
        return Err(ClipError::TooLong {
            path: path.to_owned(),
            ms,
        });
    }
    Ok(trimmed.to_vec())
}

/// `samples` without the near-silence at its start and (or) its end.
pub(crate) fn trim(samples: &[i16], start: bool, end: bool) -> &[i16] {
    let loud = |sample: &i16| sample.unsigned_abs() > SILENCE;
    let first = if start {
        samples.iter().position(loud).unwrap_or(samples.len())
    } else {
        0
    };
    let last = if end {
        samples.iter().rposition(loud).map_or(first, |at| at + 1)
    } else {
        samples.len()
    };
    &samples[first..last.max(first)]
}
