//! What a respondent may say about themselves, all of it optional and never blocking: the
//! categories the regulation's questionnaire asks for its report (age, sex, education,
//! occupation). Never a name, never a NIK.

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use crate::lang::Language;

/// Declares a closed list of categories with stable snake_case codes, `ALL`, `code()`,
/// `parse()` and `label(language)`.
macro_rules! categories {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $code:literal => $id:literal, $en:literal;)* }) => {
        $(#[$doc])*
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, IntoStaticStr,
            EnumString,
        )]
        pub enum $name {
            $(
                #[serde(rename = $code)]
                #[strum(serialize = $code)]
                $variant,
            )*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            /// Stable code for the database and the wire.
            pub fn code(self) -> &'static str {
                self.into()
            }

            pub fn parse(code: &str) -> Option<Self> {
                code.parse().ok()
            }

            /// The category as the visitor reads it.
            pub fn label(self, language: Language) -> &'static str {
                match (self, language) {
                    $(
                        ($name::$variant, Language::Indonesian) => $id,
                        ($name::$variant, Language::English) => $en,
                    )*
                }
            }
        }
    };
}

categories! {
    /// Age in bands: a band is all the report needs, and says less about a person.
    AgeBand {
        Under20 = "under_20" => "Di bawah 20 tahun", "Under 20";
        From20To29 = "20_29" => "20–29 tahun", "20–29";
        From30To39 = "30_39" => "30–39 tahun", "30–39";
        From40To49 = "40_49" => "40–49 tahun", "40–49";
        From50To59 = "50_59" => "50–59 tahun", "50–59";
        From60 = "60_plus" => "60 tahun ke atas", "60 and over";
    }
}

categories! {
    /// Sex, as the questionnaire asks it.
    Sex {
        Male = "male" => "Laki-laki", "Male";
        Female = "female" => "Perempuan", "Female";
    }
}

categories! {
    /// Highest education, in the questionnaire's categories.
    Education {
        Sd = "sd" => "SD ke bawah", "Primary school or less";
        Smp = "smp" => "SMP", "Junior high school";
        Sma = "sma" => "SMA/SMK", "Senior high school";
        Diploma = "diploma" => "D1–D4", "Diploma (D1–D4)";
        S1 = "s1" => "S1", "Bachelor's degree";
        S2OrHigher = "s2_or_higher" => "S2 ke atas", "Master's degree or higher";
    }
}

categories! {
    /// Main occupation, in the questionnaire's categories.
    Occupation {
        CivilServant = "civil_servant" => "PNS", "Civil servant";
        Military = "military" => "TNI", "Military";
        Police = "police" => "Polri", "Police";
        PrivateEmployee = "private_employee" => "Pegawai swasta", "Private employee";
        SelfEmployed = "self_employed" => "Wirausaha", "Self-employed";
        Student = "student" => "Pelajar/mahasiswa", "Student";
        Other = "other" => "Lainnya", "Other";
    }
}

/// The respondent's facts; every one may be left out.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Respondent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<AgeBand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<Education>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<Occupation>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_has_a_code_that_reads_back_and_a_label_in_each_language() {
        fn check<T: Copy + PartialEq + std::fmt::Debug + Serialize>(
            all: &[T],
            code: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
            label: fn(T, Language) -> &'static str,
        ) {
            for value in all {
                assert_eq!(parse(code(*value)), Some(*value));
                let json = serde_json::to_string(value).expect("json");
                assert_eq!(json, format!("\"{}\"", code(*value)));
                for language in Language::ALL {
                    assert!(!label(*value, language).is_empty());
                }
            }
        }
        check(AgeBand::ALL, AgeBand::code, AgeBand::parse, AgeBand::label);
        check(Sex::ALL, Sex::code, Sex::parse, Sex::label);
        check(
            Education::ALL,
            Education::code,
            Education::parse,
            Education::label,
        );
        check(
            Occupation::ALL,
            Occupation::code,
            Occupation::parse,
            Occupation::label,
        );
        assert_eq!(AgeBand::From20To29.code(), "20_29");
    }

    #[test]
    fn nothing_said_is_an_empty_object_and_strangers_are_refused() {
        let json = serde_json::to_string(&Respondent::default()).expect("json");
        assert_eq!(json, "{}");
        let some: Respondent =
            serde_json::from_str(r#"{"sex":"female","education":"s1"}"#).expect("reads");
        assert_eq!(some.sex, Some(Sex::Female));
        assert_eq!(some.age, None);
        assert!(serde_json::from_str::<Respondent>(r#"{"name":"Budi"}"#).is_err());
        assert!(serde_json::from_str::<Respondent>(r#"{"sex":"x"}"#).is_err());
    }
}
