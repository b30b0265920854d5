//! A WAV file from elsewhere (an MPP's recorded clip) read and brought to the voice's own
//! format: mono, 16-bit, 22,050 Hz. Integer PCM of 8, 16, 24 or 32 bits and 32-bit float, in
//! plain or extensible `fmt ` chunks, mono or stereo, at any rate from 8,000 to 96,000 Hz: what
//! Audacity, a phone's recorder or sox write. Chunks other than `fmt ` and `data` (LIST, cue)
//! are skipped.

/// The voice's sample rate (espeak-ng's own).
pub const RATE: u32 = 22_050;

/// Why a file is not a WAV the voice can play.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PcmError {
    #[error("not a WAV file (no RIFF/WAVE header)")]
    NotWav,
    #[error("no `{0}` chunk")]
    Missing(&'static str),
    #[error("its `fmt ` chunk is cut short")]
    ShortFormat,
    #[error("compressed audio (WAV format {0:#06x}): export it as PCM WAV")]
    Compressed(u16),
    #[error("{0} channels: only mono or stereo")]
    Channels(u16),
    #[error("{0} bits a sample: only 8, 16, 24 or 32")]
    Bits(u16),
    #[error("a sample rate of {0} Hz: only 8,000 to 96,000")]
    Rate(u32),
    #[error("no sound in it (an empty `data` chunk)")]
    Empty,
}

const PCM: u16 = 1;
const FLOAT: u16 = 3;
const EXTENSIBLE: u16 = 0xfffe;

/// Reads `bytes` and returns its sound as the voice's samples (mono, 16-bit, [`RATE`]).
pub fn voice_samples(bytes: &[u8]) -> Result<Vec<i16>, PcmError> {
    let (rate, mono) = decode(bytes)?;
    Ok(resample(&mono, rate, RATE)
        .into_iter()
        .map(|sample| (sample.clamp(-1.0, 1.0) * f32::from(i16::MAX)) as i16)
        .collect())
}

/// The sample rate and the samples, mixed down to one channel, as -1.0..1.0.
fn decode(bytes: &[u8]) -> Result<(u32, Vec<f32>), PcmError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(PcmError::NotWav);
    }
    let mut format = None;
    let mut data = None;
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32_at(bytes, at + 4) as usize;
        let body = &bytes[at + 8..bytes.len().min(at + 8 + size)];
        match id {
            b"fmt " => format = Some(Format::read(body)?),
            // A file written to a pipe may carry a wrong data size: take what is there.
            b"data" => data = Some(body),
            _ => {}
        }
        at += 8 + size + size % 2;
    }
    let format = format.ok_or(PcmError::Missing("fmt "))?;
    let data = data.ok_or(PcmError::Missing("data"))?;
    let frame = usize::from(format.bits / 8) * usize::from(format.channels);
    if data.len() < frame {
        return Err(PcmError::Empty);
    }
    let mono = data
        .chunks_exact(frame)
        .map(|frame| {
            let width = frame.len() / usize::from(format.channels);
            let sum: f32 = frame
                .chunks_exact(width)
                .map(|sample| format.value(sample))
                .sum();
            sum / f32::from(format.channels)
        })
        .collect();
    Ok((format.rate, mono))
}

struct Format {
    float: bool,
    channels: u16,
    rate: u32,
    bits: u16,
}

impl Format {
    fn read(body: &[u8]) -> Result<Format, PcmError> {
        if body.len() < 16 {
            return Err(PcmError::ShortFormat);
        }
        let mut tag = u16_at(body, 0);
        if tag == EXTENSIBLE {
            // The sub-format GUID's first two bytes are the real format tag.
            tag = if body.len() >= 26 {
                u16_at(body, 24)
            } else {
                return Err(PcmError::ShortFormat);
            };
        }
        let (channels, rate, bits) = (u16_at(body, 2), u32_at(body, 4), u16_at(body, 14));
        let float = match tag {
            PCM => false,
            FLOAT => true,
            other => return Err(PcmError::Compressed(other)),
        };
        if !(1..=2).contains(&channels) {
            return Err(PcmError::Channels(channels));
        }
        if !(8_000..=96_000).contains(&rate) {
            return Err(PcmError::Rate(rate));
        }
        let bits_fit = if float {
            bits == 32
        } else {
            matches!(bits, 8 | 16 | 24 | 32)
        };
        if !bits_fit {
            return Err(PcmError::Bits(bits));
        }
        Ok(Format {
            float,
            channels,
            rate,
            bits,
        })
    }

    /// One sample as -1.0..1.0 (8-bit WAV is unsigned, the others signed little-endian).
    fn value(&self, sample: &[u8]) -> f32 {
        match (self.float, sample.len()) {
            (true, _) => f32::from_le_bytes([sample[0], sample[1], sample[2], sample[3]]),
            (false, 1) => (f32::from(sample[0]) - 128.0) / 128.0,
            (false, 2) => f32::from(i16::from_le_bytes([sample[0], sample[1]])) / 32_768.0,
            (false, 3) => {
                let value = i32::from_le_bytes([0, sample[0], sample[1], sample[2]]) >> 8;
                value as f32 / 8_388_608.0
            }
            (false, _) => {
                let value = i32::from_le_bytes([sample[0], sample[1], sample[2], sample[3]]);
                value as f32 / 2_147_483_648.0
            }
        }
    }
}

/// `samples` at `from` Hz as `to` Hz: averaged over the source samples each output sample
/// spans when going down (a box low-pass, enough for speech), interpolated when going up.
fn resample(samples: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to {
        return samples.to_vec();
    }
    let step = f64::from(from) / f64::from(to);
    let count = (samples.len() as u64 * u64::from(to) / u64::from(from)) as usize;
    (0..count)
        .map(|n| {
            let start = n as f64 * step;
            if step > 1.0 {
                let (first, last) = (start as usize, ((start + step) as usize).min(samples.len()));
                let span = &samples[first..last.max(first + 1).min(samples.len())];
                span.iter().sum::<f32>() / span.len().max(1) as f32
            } else {
                let index = start as usize;
                let fraction = (start - index as f64) as f32;
                let here = samples[index];
                let next = samples.get(index + 1).copied().unwrap_or(here);
                here + (next - here) * fraction
            }
        })
        .collect()
}

fn u16_at(bytes: &[u8], at: usize) -> u16 {
    u16::from_le_bytes([bytes[at], bytes[at + 1]])
}

fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A WAV file with a `fmt ` of `tag`, `channels`, `rate`, `bits` and `data`.
    pub(crate) fn wav(tag: u16, channels: u16, rate: u32, bits: u16, data: &[u8]) -> Vec<u8> {
        let mut bytes = b"RIFF\0\0\0\0WAVE".to_vec();
        bytes.extend_from_slice(b"LIST\x04\0\0\0INFO");
        bytes.extend_from_slice(b"fmt \x10\0\0\0");
        bytes.extend_from_slice(&tag.to_le_bytes());
        bytes.extend_from_slice(&channels.to_le_bytes());
        bytes.extend_from_slice(&rate.to_le_bytes());
        let block = channels * bits / 8;
        bytes.extend_from_slice(&(rate * u32::from(block)).to_le_bytes());
        bytes.extend_from_slice(&block.to_le_bytes());
        bytes.extend_from_slice(&bits.to_le_bytes());
        bytes.extend_from_slice(b"data");
        bytes.extend_from_slice(&(data.len() as u32).to_le_bytes());
        bytes.extend_from_slice(data);
        bytes
    }

    #[test]
    fn stereo_44100_becomes_mono_22050() {
        // One second of a full-scale left channel and a silent right: half scale once mixed.
        let data: Vec<u8> = (0..44_100)
            .flat_map(|_| [i16::MAX.to_le_bytes(), 0i16.to_le_bytes()].concat())
            .collect();
        let samples = voice_samples(&wav(PCM, 2, 44_100, 16, &data)).expect("reads");
        assert_eq!(samples.len(), 22_050);
        assert!(samples.iter().all(|s| (16_000..16_500).contains(s)), "half");
    }

    #[test]
    fn other_widths_and_rates_are_read() {
        let eight = voice_samples(&wav(PCM, 1, 11_025, 8, &[255; 11_025])).expect("8-bit");
        assert_eq!(eight.len(), 22_050);
        assert!(eight[100] > 32_000, "{}", eight[100]);
        let quiet = (-0.25f32).to_le_bytes().repeat(48_000);
        let float = voice_samples(&wav(FLOAT, 1, 48_000, 32, &quiet)).expect("float");
        assert_eq!(float.len(), 22_050);
        assert!((float[10] + 8_192).abs() < 2, "{}", float[10]);
        let wide = voice_samples(&wav(PCM, 1, 22_050, 24, &[0, 0, 0x40].repeat(100))).expect("24");
        assert_eq!(wide.len(), 100);
        assert_eq!(wide[0], 16_383);
    }

    #[test]
    fn what_is_not_playable_says_why() {
        let cases = [
            (b"hello world, not a wav".to_vec(), PcmError::NotWav),
            (
                wav(0x55, 1, 22_050, 16, &[0; 4]),
                PcmError::Compressed(0x55),
            ),
            (wav(PCM, 6, 22_050, 16, &[0; 24]), PcmError::Channels(6)),
            (wav(PCM, 1, 22_050, 12, &[0; 4]), PcmError::Bits(12)),
            (wav(PCM, 1, 4_000, 16, &[0; 4]), PcmError::Rate(4_000)),
            (wav(PCM, 1, 22_050, 16, &[]), PcmError::Empty),
        ];
        for (bytes, expected) in cases {
            assert_eq!(voice_samples(&bytes), Err(expected));
        }
        assert!(PcmError::Compressed(0x55).to_string().contains("PCM WAV"));
    }
}
