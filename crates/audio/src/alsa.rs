//! The few functions of ALSA's libasound the player needs, looked up in `libasound.so.2` at run
//! time: open a PCM, set its format with `snd_pcm_set_params` (ALSA's simple setup: rate,
//! channels, a latency, resampling by the `plug` layer where the card wants another rate),
//! write 16-bit mono frames, recover from an underrun, drop or drain, close.
//!
//! The only unsafe code of the project lives here. Each call keeps to libasound's contract:
//! the `snd_pcm_t` pointer comes from a successful `snd_pcm_open`, is used by one thread (the
//! [`Pcm`] is not `Sync`) and is closed once (in `Drop`); buffers passed are live slices whose
//! length in frames is what is passed; strings are NUL-terminated `CString`s.
#![allow(unsafe_code)]

use std::ffi::{CStr, CString, c_char, c_int, c_long, c_uint, c_ulong, c_void};
use std::sync::Arc;

use libloading::Library;

/// The library's file name (Debian's libasound2, on every desktop and most servers).
pub const LIBRARY: &str = "libasound.so.2";

const STREAM_PLAYBACK: c_int = 0;
const FORMAT_S16_LE: c_int = 2;
const ACCESS_RW_INTERLEAVED: c_int = 3;
/// How much sound ALSA holds ahead of the speaker: a cut (new speech) is heard this soon.
const LATENCY_US: c_uint = 60_000;

/// An opaque `snd_pcm_t`.
#[repr(C)]
struct RawPcm {
    _private: [u8; 0],
}

type Open = unsafe extern "C" fn(*mut *mut RawPcm, *const c_char, c_int, c_int) -> c_int;
type SetParams =
    unsafe extern "C" fn(*mut RawPcm, c_int, c_int, c_uint, c_uint, c_int, c_uint) -> c_int;
type WriteInterleaved = unsafe extern "C" fn(*mut RawPcm, *const c_void, c_ulong) -> c_long;
type Recover = unsafe extern "C" fn(*mut RawPcm, c_int, c_int) -> c_int;
type Simple = unsafe extern "C" fn(*mut RawPcm) -> c_int;
type StrError = unsafe extern "C" fn(c_int) -> *const c_char;

/// Why libasound cannot be used.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum LoadError {
    #[error("{LIBRARY} is not installed (apt-get install libasound2): {0}")]
    Missing(String),
    #[error("{LIBRARY} lacks {0}")]
    Incomplete(&'static str),
}

/// libasound, loaded: its functions, and the library kept open while any is used.
pub struct Alsa {
    open: Open,
    set_params: SetParams,
    writei: WriteInterleaved,
    recover: Recover,
    drop_frames: Simple,
    drain: Simple,
    close: Simple,
    strerror: StrError,
    _library: Library,
}

impl Alsa {
    pub fn load() -> Result<Arc<Alsa>, LoadError> {
        // SAFETY: libasound's initialisers only set up its own state.
        let library = unsafe { Library::new(LIBRARY) }
            .map_err(|error| LoadError::Missing(error.to_string()))?;
        // SAFETY: each name is looked up with libasound's own C signature (alsa/pcm.h, error.h).
        unsafe {
            Ok(Arc::new(Alsa {
                open: symbol(&library, "snd_pcm_open\0")?,
                set_params: symbol(&library, "snd_pcm_set_params\0")?,
                writei: symbol(&library, "snd_pcm_writei\0")?,
                recover: symbol(&library, "snd_pcm_recover\0")?,
                drop_frames: symbol(&library, "snd_pcm_drop\0")?,
                drain: symbol(&library, "snd_pcm_drain\0")?,
                close: symbol(&library, "snd_pcm_close\0")?,
                strerror: symbol(&library, "snd_strerror\0")?,
                _library: library,
            }))
        }
    }

    /// libasound's words for an error code.
    fn describe(&self, code: c_int) -> String {
        // SAFETY: snd_strerror returns a static NUL-terminated string for any code.
        let text = unsafe { (self.strerror)(code) };
        if text.is_null() {
            return format!("error {code}");
        }
        // SAFETY: non-null, NUL-terminated, static.
        unsafe { CStr::from_ptr(text) }
            .to_string_lossy()
            .into_owned()
    }
}

/// # Safety
/// `T` must be the function's true C signature.
unsafe fn symbol<T: Copy>(library: &Library, name: &'static str) -> Result<T, LoadError> {
    // SAFETY: passed on to the caller.
    unsafe { library.get::<T>(name.as_bytes()) }
        .map(|found| *found)
        .map_err(|_| LoadError::Incomplete(name.trim_end_matches('\0')))
}

/// An open playback PCM set to 16-bit mono at one rate.
pub struct Pcm {
    alsa: Arc<Alsa>,
    raw: *mut RawPcm,
}

impl Pcm {
    /// Opens `device` ("default", "plughw:1,0", "null") for mono 16-bit at `rate`.
    pub fn open(alsa: &Arc<Alsa>, device: &str, rate: u32) -> Result<Pcm, String> {
        let name = CString::new(device).map_err(|_| "a device name has no NUL".to_owned())?;
        let mut raw = std::ptr::null_mut();
        // SAFETY: `raw` is written on success only; the name outlives the call.
        let code = unsafe { (alsa.open)(&mut raw, name.as_ptr(), STREAM_PLAYBACK, 0) };
        if code < 0 || raw.is_null() {
            return Err(alsa.describe(code));
        }
        let pcm = Pcm {
            alsa: Arc::clone(alsa),
            raw,
        };
        // SAFETY: an open PCM; mono S16_LE interleaved, software resampling allowed.
        let code = unsafe {
            (alsa.set_params)(
                raw,
                FORMAT_S16_LE,
                ACCESS_RW_INTERLEAVED,
                1,
                rate,
                1,
                LATENCY_US,
            )
        };
        if code < 0 {
            return Err(alsa.describe(code));
        }
        Ok(pcm)
    }

    /// Writes all of `frames` (blocking while ALSA's buffer is full), recovering from an
    /// underrun once per write.
    pub fn write(&mut self, frames: &[i16]) -> Result<(), String> {
        let mut rest = frames;
        while !rest.is_empty() {
            // SAFETY: `rest` is live for the call and holds `rest.len()` mono frames.
            let written = unsafe {
                (self.alsa.writei)(self.raw, rest.as_ptr().cast(), rest.len() as c_ulong)
            };
            if written < 0 {
                let code = written as c_int;
                // SAFETY: an open PCM and the error it gave.
                if unsafe { (self.alsa.recover)(self.raw, code, 1) } < 0 {
                    return Err(self.alsa.describe(code));
                }
                continue;
            }
            rest = &rest[(written as usize).min(rest.len())..];
        }
        Ok(())
    }

    /// Stops at once, throwing away what ALSA still holds.
    pub fn stop(&mut self) {
        // SAFETY: an open PCM.
        unsafe { (self.alsa.drop_frames)(self.raw) };
    }

    /// Waits until what ALSA holds has been heard.
    pub fn finish(&mut self) {
        // SAFETY: an open PCM.
        unsafe { (self.alsa.drain)(self.raw) };
    }
}

impl Drop for Pcm {
    fn drop(&mut self) {
        // SAFETY: opened by `open`, closed only here.
        unsafe { (self.alsa.close)(self.raw) };
    }
}

// SAFETY: a PCM handle may move between threads (ALSA forbids only using one from two threads
// at once, which `&mut self` and the lack of `Sync` rule out).
unsafe impl Send for Pcm {}
