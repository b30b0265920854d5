//! The voice as MP3, the compact format every browser plays (Chromium, Firefox, Safari, the
//! browsers of TVs): LAME (through `mp3lame-encoder`, built from its bundled C source), mono,
//! constant 48 kbit/s: at the voice's 22,050 Hz that is MPEG-2 Layer III, clear for speech and
//! about a seventh of the 16-bit WAV. And the frames of an MP3 counted back, to check it.

use mp3lame_encoder::{Bitrate, Builder, FlushGap, InterleavedPcm, MonoPcm, Quality};

use crate::Wav;

/// The bit rate: speech at 22,050 Hz mono sounds as the WAV does to the ear at 48 kbit/s.
pub const KBPS: u32 = 48;

/// Why there is no MP3.
#[derive(Clone, Debug, thiserror::Error)]
pub enum Mp3Error {
    #[error("the MP3 encoder cannot start")]
    NoEncoder,
    #[error("the MP3 encoder refuses the audio: {0}")]
    Setting(String),
    #[error("the MP3 encoder failed: {0}")]
    Encoding(String),
}

/// `wav` as MP3 bytes (`audio/mpeg`), without tags.
pub fn encode(wav: &Wav) -> Result<Vec<u8>, Mp3Error> {
    let setting = |error: mp3lame_encoder::BuildError| Mp3Error::Setting(error.to_string());
    let channels = u8::try_from(wav.channels()).map_err(|_| Mp3Error::NoEncoder)?;
    let mut builder = Builder::new().ok_or(Mp3Error::NoEncoder)?;
    builder.set_num_channels(channels).map_err(setting)?;
    builder
        .set_sample_rate(wav.sample_rate())
        .map_err(setting)?;
    builder.set_brate(Bitrate::Kbps48).map_err(setting)?;
    builder.set_quality(Quality::NearBest).map_err(setting)?;
    // No Xing/LAME tag: it would be an empty first frame, as the encoder cannot go back.
    builder.set_to_write_vbr_tag(false).map_err(setting)?;
    let mut encoder = builder.build().map_err(setting)?;
    let samples: Vec<i16> = wav.samples().collect();
    let mut out = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(samples.len()));
    let failed = |error: mp3lame_encoder::EncodeError| Mp3Error::Encoding(error.to_string());
    if channels == 1 {
        encoder.encode_to_vec(MonoPcm(&samples), &mut out)
    } else {
        encoder.encode_to_vec(InterleavedPcm(&samples), &mut out)
    }
    .map_err(failed)?;
    out.reserve(7_200);
    encoder.flush_to_vec::<FlushGap>(&mut out).map_err(failed)?;
    Ok(out)
}

/// What an MP3's frame headers say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mp3Info {
    pub frames: usize,
    pub sample_rate: u32,
    pub channels: u16,
    /// The first frame's bit rate.
    pub kbps: u32,
    pub duration_ms: u64,
}

impl Mp3Info {
    /// Walks the Layer III frames of `bytes` (after an ID3v2 tag, before an ID3v1 one);
    /// `None` when anything else is found.
    pub fn read(bytes: &[u8]) -> Option<Mp3Info> {
        let mut at = id3v2_length(bytes);
        let mut info: Option<Mp3Info> = None;
        let mut samples = 0u64;
        while at < bytes.len() {
            if bytes[at..].starts_with(b"TAG") && bytes.len() - at == 128 {
                break;
            }
            let frame = Frame::read(bytes.get(at..at + 4)?)?;
            let first = info.get_or_insert(Mp3Info {
                frames: 0,
                sample_rate: frame.sample_rate,
                channels: frame.channels,
                kbps: frame.kbps,
                duration_ms: 0,
            });
            if (frame.sample_rate, frame.channels) != (first.sample_rate, first.channels) {
                return None;
            }
            first.frames += 1;
            samples += u64::from(frame.samples);
            at += frame.length;
        }
        if at > bytes.len() {
            return None;
        }
        info.map(|info| Mp3Info {
            duration_ms: samples * 1000 / u64::from(info.sample_rate),
            ..info
        })
    }
}

struct Frame {
    length: usize,
    samples: u32,
    sample_rate: u32,
    channels: u16,
    kbps: u32,
}

impl Frame {
    fn read(header: &[u8]) -> Option<Frame> {
        const MPEG1: [u32; 15] = [
            0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320,
        ];
        const MPEG2: [u32; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
        if header[0] != 0xff || header[1] & 0xe0 != 0xe0 {
            return None;
        }
        let version = (header[1] >> 3) & 3;
        let layer = (header[1] >> 1) & 3;
        let bitrate = usize::from(header[2] >> 4);
        let rate = usize::from((header[2] >> 2) & 3);
        if version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3 {
            return None;
        }
        let padding = usize::from((header[2] >> 1) & 1);
        let (kbps, sample_rate, samples, coefficient) = match version {
            3 => (
                MPEG1[bitrate],
                [44_100, 48_000, 32_000][rate],
                1152,
                144_000,
            ),
            2 => (MPEG2[bitrate], [22_050, 24_000, 16_000][rate], 576, 72_000),
            _ => (MPEG2[bitrate], [11_025, 12_000, 8_000][rate], 576, 72_000),
        };
        let length = (coefficient * kbps / sample_rate) as usize + padding;
        let channels = if header[3] >> 6 == 3 { 1 } else { 2 };
        Some(Frame {
            length,
            samples,
            sample_rate,
            channels,
            kbps,
        })
    }
}

/// The length of an ID3v2 tag at the start of `bytes` (its size is "synchsafe", 7 bits a byte).
fn id3v2_length(bytes: &[u8]) -> usize {
    match bytes.get(0..10) {
        Some(head) if head.starts_with(b"ID3") => {
            let size = head[6..10]
                .iter()
                .fold(0usize, |size, byte| (size << 7) | usize::from(byte & 0x7f));
            10 + size
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chime_as_mp3_is_small_and_as_long() {
        let chime = crate::chime();
        let mp3 = encode(&chime).expect("encodes");
        let info = Mp3Info::read(&mp3).expect("whole frames");
        assert_eq!(
            (info.sample_rate, info.channels, info.kbps),
            (22_050, 1, KBPS)
        );
        // The encoder adds its delay and pads the last frame: a few frames of 26 ms more.
        let extra = info.duration_ms as i64 - chime.duration_ms() as i64;
        assert!((0..=150).contains(&extra), "{} ms", info.duration_ms);
        assert!(
            mp3.len() * 6 < chime.bytes().len(),
            "{} of {} bytes",
            mp3.len(),
            chime.bytes().len()
        );
    }

    #[test]
    fn anything_but_frames_is_not_mp3() {
        assert_eq!(Mp3Info::read(b"RIFF....WAVEfmt "), None);
        assert_eq!(Mp3Info::read(&[]), None);
        let mp3 = encode(&crate::chime()).expect("encodes");
        assert_eq!(Mp3Info::read(&mp3[..mp3.len() - 10]), None, "cut short");
        let mut tagged = b"ID3\x04\0\0\0\0\0\x05hello".to_vec();
        tagged.extend_from_slice(&mp3);
        assert!(Mp3Info::read(&tagged).is_some());
    }
}
