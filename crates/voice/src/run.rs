//! Running the engine once: its input on stdin, its output collected, a deadline kept.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// Why there is no audio.
#[derive(Debug, thiserror::Error)]
pub enum VoiceError {
    #[error("{} is not installed (apt-get install espeak-ng)", program.display())]
    NotInstalled { program: PathBuf },
    #[error("cannot run {}: {source}", program.display())]
    Start {
        program: PathBuf,
        source: std::io::Error,
    },
    #[error("{} failed ({status}): {stderr}", program.display())]
    Failed {
        program: PathBuf,
        status: String,
        stderr: String,
    },
    #[error("{} did not finish within {timeout:?}; stopped", program.display())]
    TimedOut { program: PathBuf, timeout: Duration },
    #[error("{} gave no WAV audio ({bytes} bytes)", program.display())]
    NotWav { program: PathBuf, bytes: usize },
}

/// How often a running engine is looked at; an utterance takes tens of milliseconds.
const POLL: Duration = Duration::from_millis(5);
/// The most of the engine's complaints kept for the error message.
const STDERR_KEPT: usize = 500;

pub(crate) fn run(
    program: &Path,
    arguments: &[&str],
    input: &str,
    timeout: Duration,
) -> Result<Vec<u8>, VoiceError> {
    let mut child = Command::new(program)
        .args(arguments)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::NotFound => VoiceError::NotInstalled {
                program: program.to_owned(),
            },
            _ => VoiceError::Start {
                program: program.to_owned(),
                source,
            },
        })?;
    // Read both pipes on threads so a full pipe never stalls the engine.
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    if let Some(mut stdin) = child.stdin.take() {
        // An engine that quits without reading shows in its status below.
        let _ = stdin.write_all(input.as_bytes());
    }
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => thread::sleep(POLL),
            Ok(None) | Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(VoiceError::TimedOut {
                    program: program.to_owned(),
                    timeout,
                });
            }
        }
    };
    let output = stdout.map(join).unwrap_or_default();
    if !status.success() {
        let complaint = String::from_utf8_lossy(&stderr.map(join).unwrap_or_default())
            .trim()
            .chars()
            .take(STDERR_KEPT)
            .collect();
        return Err(VoiceError::Failed {
            program: program.to_owned(),
            status: status.to_string(),
            stderr: complaint,
        });
    }
    Ok(output)
}

fn drain(mut pipe: impl Read + Send + 'static) -> thread::JoinHandle<Vec<u8>> {
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = pipe.read_to_end(&mut bytes);
        bytes
    })
}

fn join(reader: thread::JoinHandle<Vec<u8>>) -> Vec<u8> {
    reader.join().unwrap_or_default()
}
