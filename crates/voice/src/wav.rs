//! The engine's WAV, made whole: written to a pipe, espeak-ng cannot go back to fill in its
//! sizes and leaves 0x7ffff024 there; browsers and players want the real ones.

/// A RIFF WAV file with a 16-bit PCM `fmt ` chunk and its `data` chunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wav {
    bytes: Vec<u8>,
    sample_rate: u32,
    channels: u16,
    data_at: usize,
}

impl Wav {
    /// Checks the engine's output and writes the true chunk sizes; `Err(length)` when it is
    /// not a PCM WAV.
    pub(crate) fn from_engine(mut bytes: Vec<u8>) -> Result<Wav, usize> {
        let length = bytes.len();
        if length < 44 || &bytes[0..4] != b"RIFF" || &bytes[8..16] != b"WAVEfmt " {
            return Err(length);
        }
        let format = u16::from_le_bytes([bytes[20], bytes[21]]);
        let channels = u16::from_le_bytes([bytes[22], bytes[23]]);
        let sample_rate = u32::from_le_bytes([bytes[24], bytes[25], bytes[26], bytes[27]]);
        let fmt_size = u32::from_le_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]) as usize;
        let data_tag = 20 + fmt_size;
        if format != 1 || channels == 0 || bytes.get(data_tag..data_tag + 4) != Some(b"data") {
            return Err(length);
        }
        let data_at = data_tag + 8;
        let riff_size = u32::try_from(length - 8).map_err(|_| length)?;
        let data_size = u32::try_from(length - data_at).map_err(|_| length)?;
        bytes[4..8].copy_from_slice(&riff_size.to_le_bytes());
        bytes[data_tag + 4..data_at].copy_from_slice(&data_size.to_le_bytes());
        Ok(Wav {
            bytes,
            sample_rate,
            channels,
            data_at,
        })
    }

    /// A mono 16-bit PCM file of `samples` at `sample_rate`.
    pub fn from_samples(sample_rate: u32, samples: &[i16]) -> Wav {
        let data_size = (samples.len() * 2) as u32;
        let mut bytes = Vec::with_capacity(44 + samples.len() * 2);
        bytes.extend_from_slice(b"RIFF");
        bytes.extend_from_slice(&(36 + data_size).to_le_bytes());
        bytes.extend_from_slice(b"WAVEfmt ");
        bytes.extend_from_slice(&16u32.to_le_bytes());
        bytes.extend_from_slice(&1u16.to_le_bytes());
        bytes.extend_from_slice(&1u16.to_le_bytes());
        bytes.extend_from_slice(&sample_rate.to_le_bytes());
        bytes.extend_from_slice(&(sample_rate * 2).to_le_bytes());
        bytes.extend_from_slice(&2u16.to_le_bytes());
        bytes.extend_from_slice(&16u16.to_le_bytes());
        bytes.extend_from_slice(b"data");
        bytes.extend_from_slice(&data_size.to_le_bytes());
        for sample in samples {
            bytes.extend_from_slice(&sample.to_le_bytes());
        }
        Wav {
            bytes,
            sample_rate,
            channels: 1,
            data_at: 44,
        }
    }

    /// The whole file, ready to write or serve as `audio/wav`.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    pub fn sample_rate(&self) -> u32 {
        self.sample_rate
    }

    pub fn channels(&self) -> u16 {
        self.channels
    }

    /// The 16-bit samples, interleaved by channel.
    pub fn samples(&self) -> impl Iterator<Item = i16> + '_ {
        self.bytes[self.data_at..]
            .chunks_exact(2)
            .map(|pair| i16::from_le_bytes([pair[0], pair[1]]))
    }

    /// How long it plays, in milliseconds.
    pub fn duration_ms(&self) -> u64 {
        let frames = (self.bytes.len() - self.data_at) as u64 / (2 * u64::from(self.channels));
        frames * 1000 / u64::from(self.sample_rate.max(1))
    }
}
