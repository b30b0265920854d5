//! Words espeak-ng's Indonesian voice says wrongly, with the phonemes it should use instead
//! (espeak-ng's own notation: `@` is the schwa, `E` the open e, `'` before the stressed
//! syllable). Measured with `espeak-ng -v id -x` 1.51: it reads the schwa of "empat", "enam"
//! and "belas" as /ɛ/ and the /ɛ/ of "loket" as a schwa. Only the fixed vocabulary of the
//! phrases and the names of the shipped catalog's agencies are listed, each checked by its
//! phonemes (see the voice's tests).
//!
//! How the agencies were checked: every word of every agency's short name in
//! `assets/catalog.json` and every point name of the demo `mpp-central.toml`, read as a call
//! reads it (`espeak-ng -v id -x`, capitals spelled through `<say-as interpret-as="characters">`,
//! where espeak-ng names the letters right: de, ka, ce, em, es), against KBBI's pronunciation
//! of the word or, for an acronym, of the word its syllable comes from. Read right and left
//! alone: Dukcapil [duktSapil], Dinsos, Dindagkop, Dishub, Diskominfo, Disdik, Samsat,
//! Imigrasi, Pratama, Kesbangpol [k@sbaN], Kejari [k@dZari], Pegadaian [p@gadaian], Jateng
//! [dZat@N] (Tengah), Bank, Pos; the spelled ones (BPN, BPJS, SKCK, KTP, DPMPTSP, DLH, KPP,
//! PN, PA, PLN, BRI, UKM, and PDAM and DPUPR once `name_parts` spelled them). Left alone though
//! the e is disputed, for the MPP to record a clip if its visitors say it otherwise: Bapenda
//! [bapEnda], Dinkes [dink@s], Polres [polr@s], Disnaker [disnak@r], Kemenag [k@mEnag]
//! (acronyms whose e no dictionary settles).

/// The phonemes for `word` (lower case) where the voice's own reading is wrong.
pub fn indonesian(word: &str) -> Option<&'static str> {
    let phonemes = match word {
        "empat" => "@mp'at",
        "enam" => "@n'am",
        "belas" => "b@l'as",
        "sebelas" => "s@b@l'as",
        "loket" => "l'okEt",
        // BPJS Ketenagakerjaan: te- of "tenaga" is a schwa (KBBI tenaga /tənaga/); espeak-ng
        // said [tEnaga].
        "ketenagakerjaan" => "k@t,@nag,ak@RdZ'a_|an",
        // BPJS Kesehatan: "sehat" has é (KBBI séhat); espeak-ng said a schwa [k@s@hatan].
        "kesehatan" => "k@seh'atan",
        // Pos Indonesia: In-do-né-sia (KBBI); espeak-ng said a schwa [indon@sia].
        "indonesia" => ",indones'ia",
        // Taspen (Tabungan Asuransi Pensiun): pen- of "pénsiun" (KBBI); espeak-ng said [tasp@n].
        "taspen" => "t'aspEn",
        // Speech mode's phrases (`kiosk`), each against KBBI: a schwa where espeak-ng said /ɛ/
        // (tekan [tEkan], selesai [s@lEsaI], sedang, depan, lebih, tempat, celah, dicetak,
        // sering, disebut, mendengar, mengetik, penyelesaian), and the é of "tikét" it said as
        // a schwa [tik@t].
        "tekan" => "t'@kan",
        "selesai" => "s@l@s'aI",
        "sedang" => "s'@daN",
        "depan" => "d'@pan",
        "lebih" => "l'@bih",
        "tempat" => "t'@mpat",
        "celah" => "tS'@lah",
        "dicetak" => "ditS'@tak",
        "sering" => "s'@R2iN",
        "disebut" => "dis'@but",
        "mendengar" => "m@nd'@NaR",
        "mengetik" => "m@N'@tik",
        "penyelesaian" => "p@n^,@l@s'aI_|an",
        "tiket" => "t'ikEt",
        _ => return None,
    };
    Some(phonemes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_lower_case_words_are_looked_up() {
        assert_eq!(indonesian("empat"), Some("@mp'at"));
        assert_eq!(indonesian("Empat"), None);
        assert_eq!(indonesian("tiga"), None);
    }
}
