//! The chime the lobby displays play before each call: two soft bell tones, falling (the
//! "ding-dong" people know from stations and halls), made here rather than shipped as a file.

use crate::Wav;

const RATE: u32 = 22_050;
/// Each tone's pitch (Hz) and length (ms): E5, then C5 held longer.
const TONES: [(f32, u32); 2] = [(659.25, 400), (523.25, 800)];
/// Peak loudness, well under full scale: a hall's speakers are loud already.
const PEAK: f32 = 0.45 * i16::MAX as f32;

/// The chime as WAV audio (mono, 16-bit, 22,050 Hz, 1.2 s).
pub fn chime() -> Wav {
    let mut samples = Vec::new();
    for (pitch, millis) in TONES {
        let count = (millis * RATE / 1000) as usize;
        for n in 0..count {
            let t = n as f32 / RATE as f32;
            // A quick rise, then a bell's exponential decay; a touch of the octave for colour.
            let envelope = (t / 0.01).min(1.0) * (-t * 4.0).exp();
            let wave = (std::f32::consts::TAU * pitch * t).sin()
                + 0.25 * (std::f32::consts::TAU * 2.0 * pitch * t).sin();
            samples.push((PEAK * envelope * wave / 1.25) as i16);
        }
    }
    Wav::from_samples(RATE, &samples)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_chime_is_a_short_quiet_wav() {
        let chime = chime();
        assert_eq!((chime.sample_rate(), chime.channels()), (RATE, 1));
        assert_eq!(chime.duration_ms(), 1200);
        let loudest = chime
            .samples()
            .map(i16::unsigned_abs)
            .max()
            .expect("samples");
        assert!(
            (8_000..=i16::MAX as u16 / 2).contains(&loudest),
            "{loudest}"
        );
        let bytes = chime.bytes();
        assert_eq!(&bytes[0..4], b"RIFF");
        assert_eq!(
            u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize,
            bytes.len() - 8
        );
        let tail: Vec<i16> = chime.samples().skip(26_000).collect();
        assert!(
            tail.iter().all(|s| s.unsigned_abs() < 3_000),
            "it fades out"
        );
    }
}
