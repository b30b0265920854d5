//! The public satisfaction survey (Survei Kepuasan Masyarakat) of PermenPANRB 14/2017: its nine
//! elements with their questions and answers, the optional facts about the respondent, the
//! optional suggestion, the index (IKM) and the short code on the ticket that lets its holder
//! answer once.
//!
//! Elements are stored and sent by a stable word ([`Element::code`]), never by position:
//! questionnaires in use order the last two elements differently, so "U8" alone does not say
//! which one was rated. The regulation's U1–U9 labels are kept as a documented mapping
//! ([`Element::regulation_label`]).

pub mod code;
pub mod eligibility;
pub mod index;
pub mod respondent;
pub mod scan;
pub mod suggestion;
pub mod text;
pub mod wire;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use strum::{EnumString, IntoStaticStr};

use crate::lang::Language;

/// One of the nine elements (unsur) the regulation has every respondent rate.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    IntoStaticStr,
    EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Element {
    /// U1 Persyaratan.
    Requirements,
    /// U2 Sistem, mekanisme, dan prosedur.
    Procedure,
    /// U3 Waktu penyelesaian.
    CompletionTime,
    /// U4 Biaya/tarif.
    Cost,
    /// U5 Produk spesifikasi jenis pelayanan.
    Product,
    /// U6 Kompetensi pelaksana.
    StaffCompetence,
    /// U7 Perilaku pelaksana.
    StaffBehaviour,
    /// U8 Penanganan pengaduan, saran dan masukan.
    Complaints,
    /// U9 Sarana dan prasarana.
    Facilities,
}

/// The words of one element: its name, its question and its four answers, worst first.
pub struct Wording {
    pub name: &'static str,
    pub question: &'static str,
    /// Answers for the values 1, 2, 3 and 4.
    pub answers: [&'static str; 4],
}

impl Element {
    /// In the order the regulation lists them (U1 first), which is the order they are asked.
    pub const ALL: [Element; 9] = [
        Element::Requirements,
        Element::Procedure,
        Element::CompletionTime,
        Element::Cost,
        Element::Product,
        Element::StaffCompetence,
        Element::StaffBehaviour,
        Element::Complaints,
        Element::Facilities,
    ];

    /// The stable code, as stored and sent: `requirements`, `completion_time`, …
    pub fn code(self) -> &'static str {
        self.into()
    }

    pub fn parse(code: &str) -> Option<Self> {
        code.parse().ok()
    }

    /// The regulation's label, `U1`–`U9`, in the order its list of elements gives (complaint
    /// handling eighth, facilities ninth). Its sample questionnaire, and several systems in
    /// use, ask facilities eighth and complaints ninth: a report that prints U-labels takes
    /// them from here, never from the order of a column.
    pub fn regulation_label(self) -> &'static str {
        match self {
            Element::Requirements => "U1",
            Element::Procedure => "U2",
            Element::CompletionTime => "U3",
            Element::Cost => "U4",
            Element::Product => "U5",
            Element::StaffCompetence => "U6",
            Element::StaffBehaviour => "U7",
            Element::Complaints => "U8",
            Element::Facilities => "U9",
        }
    }

    /// The element's name, question and answers in `language`; the answers are the
    /// regulation's sample questionnaire's own, in the element's own words.
    pub fn wording(self, language: Language) -> Wording {
        match language {
            Language::Indonesian => self.indonesian(),
            Language::English => self.english(),
        }
    }

    fn indonesian(self) -> Wording {
        let (name, question, answers) = match self {
            Element::Requirements => (
                "Persyaratan",
                "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
                ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
            ),
            Element::Procedure => (
                "Sistem, mekanisme, dan prosedur",
                "Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?",
                ["Tidak mudah", "Kurang mudah", "Mudah", "Sangat mudah"],
            ),
            Element::CompletionTime => (
                "Waktu penyelesaian",
                "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
                ["Tidak cepat", "Kurang cepat", "Cepat", "Sangat cepat"],
            ),
            Element::Cost => (
                "Biaya/tarif",
                "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
                ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"],
            ),
            Element::Product => (
                "Produk spesifikasi jenis pelayanan",
                "Bagaimana pendapat Anda tentang kesesuaian produk pelayanan antara yang tercantum dalam standar pelayanan dengan hasil yang diberikan?",
                ["Tidak sesuai", "Kurang sesuai", "Sesuai", "Sangat sesuai"],
            ),
            Element::StaffCompetence => (
                "Kompetensi pelaksana",
                "Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?",
                [
                    "Tidak kompeten",
                    "Kurang kompeten",
                    "Kompeten",
                    "Sangat kompeten",
                ],
            ),
            Element::StaffBehaviour => (
                "Perilaku pelaksana",
                "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
                [
                    "Tidak sopan dan ramah",
                    "Kurang sopan dan ramah",
                    "Sopan dan ramah",
                    "Sangat sopan dan ramah",
                ],
            ),
            Element::Complaints => (
                "Penanganan pengaduan, saran dan masukan",
                "Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?",
                [
                    "Tidak ada",
                    "Ada tetapi tidak berfungsi",
                    "Berfungsi kurang maksimal",
                    "Dikelola dengan baik",
                ],
            ),
            Element::Facilities => (
                "Sarana dan prasarana",
                "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?",
                ["Buruk", "Cukup", "Baik", "Sangat baik"],
            ),
        };
        Wording {
            name,
            question,
            answers,
        }
    }

    fn english(self) -> Wording {
        let (name, question, answers) = match self {
            Element::Requirements => (
                "Requirements",
                "How well did the requirements match the service you came for?",
                ["Not suitable", "Less suitable", "Suitable", "Very suitable"],
            ),
            Element::Procedure => (
                "System, mechanism and procedure",
                "How easy was the procedure of this service to follow?",
                ["Not easy", "Less easy", "Easy", "Very easy"],
            ),
            Element::CompletionTime => (
                "Time to complete",
                "How quickly was the service delivered?",
                ["Not quick", "Less quick", "Quick", "Very quick"],
            ),
            Element::Cost => (
                "Cost/fee",
                "How fair was the cost or fee of the service?",
                ["Very expensive", "Rather expensive", "Cheap", "Free"],
            ),
            Element::Product => (
                "Product of the service",
                "How well did what you received match what the service standard promises?",
                ["Not suitable", "Less suitable", "Suitable", "Very suitable"],
            ),
            Element::StaffCompetence => (
                "Competence of staff",
                "How competent were the staff who served you?",
                [
                    "Not competent",
                    "Less competent",
                    "Competent",
                    "Very competent",
                ],
            ),
            Element::StaffBehaviour => (
                "Behaviour of staff",
                "How polite and friendly were the staff who served you?",
                [
                    "Not polite or friendly",
                    "Less polite and friendly",
                    "Polite and friendly",
                    "Very polite and friendly",
                ],
            ),
            Element::Complaints => (
                "Handling of complaints, suggestions and input",
                "How are complaints from service users handled here?",
                [
                    "There is no way to complain",
                    "There is one, but it does not work",
                    "It works, but not fully",
                    "Handled well",
                ],
            ),
            Element::Facilities => (
                "Facilities",
                "How good are the facilities and infrastructure?",
                ["Poor", "Fair", "Good", "Very good"],
            ),
        };
        Wording {
            name,
            question,
            answers,
        }
    }
}

/// One answer on the regulation's scale: 1 (tidak …) to 4 (sangat …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Rating(u8);

impl Rating {
    pub const ALL: [Rating; 4] = [Rating(1), Rating(2), Rating(3), Rating(4)];

    pub fn new(value: u8) -> Option<Self> {
        (1..=4).contains(&value).then_some(Self(value))
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// The answer's words for `element` in `language`.
    pub fn words(self, element: Element, language: Language) -> &'static str {
        element.wording(language).answers[usize::from(self.0 - 1)]
    }
}

impl TryFrom<u8> for Rating {
    type Error = String;

    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Rating::new(value).ok_or_else(|| format!("an answer is 1 to 4, not {value}"))
    }
}

impl From<Rating> for u8 {
    fn from(rating: Rating) -> u8 {
        rating.0
    }
}

/// Why a set of answers is not a complete response.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnswersError {
    #[error("the answer to {} ({}) is missing", .0.code(), .0.regulation_label())]
    Missing(Element),
}

/// All nine answers of one respondent, by element code. On the wire an object
/// `{"requirements": 4, "procedure": 3, …}`; unknown codes and values outside 1–4 are refused
/// when read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    try_from = "BTreeMap<Element, Rating>",
    into = "BTreeMap<Element, Rating>"
)]
pub struct Answers([Rating; 9]);

impl Answers {
    /// The complete set, or which element is still unanswered.
    pub fn complete(given: &BTreeMap<Element, Rating>) -> Result<Self, AnswersError> {
        let mut ratings = [Rating(1); 9];
        for (slot, element) in ratings.iter_mut().zip(Element::ALL) {
            *slot = *given.get(&element).ok_or(AnswersError::Missing(element))?;
        }
        Ok(Self(ratings))
    }

    /// Every element with one rating, for building fixtures and tests.
    pub fn uniform(rating: Rating) -> Self {
        Self([rating; 9])
    }

    pub fn get(&self, element: Element) -> Rating {
        self.0[Self::slot(element)]
    }

    pub fn set(&mut self, element: Element, rating: Rating) {
        self.0[Self::slot(element)] = rating;
    }

    /// `(element, rating)` in the regulation's order.
    pub fn iter(&self) -> impl Iterator<Item = (Element, Rating)> + '_ {
        Element::ALL.into_iter().zip(self.0)
    }

    fn slot(element: Element) -> usize {
        Element::ALL
            .iter()
            .position(|known| *known == element)
            .expect("every element is in ALL")
    }
}

impl TryFrom<BTreeMap<Element, Rating>> for Answers {
    type Error = AnswersError;

    fn try_from(given: BTreeMap<Element, Rating>) -> Result<Self, Self::Error> {
        Answers::complete(&given)
    }
}

impl From<Answers> for BTreeMap<Element, Rating> {
    fn from(answers: Answers) -> Self {
        answers.iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_stable_words_and_labels_map_one_to_one() {
        let codes: Vec<&str> = Element::ALL.iter().map(|e| e.code()).collect();
        assert_eq!(
            codes,
            [
                "requirements",
                "procedure",
                "completion_time",
                "cost",
                "product",
                "staff_competence",
                "staff_behaviour",
                "complaints",
                "facilities"
            ]
        );
        for (index, element) in Element::ALL.into_iter().enumerate() {
            assert_eq!(Element::parse(element.code()), Some(element));
            assert_eq!(element.regulation_label(), format!("U{}", index + 1));
            let json = serde_json::to_string(&element).expect("json");
            assert_eq!(json, format!("\"{}\"", element.code()));
        }
        assert_eq!(Element::parse("U8"), None, "positions are not codes");
    }

    #[test]
    fn every_element_has_a_question_and_four_distinct_answers_in_each_language() {
        for language in Language::ALL {
            for element in Element::ALL {
                let wording = element.wording(language);
                assert!(!wording.name.is_empty() && wording.question.ends_with('?'));
                for (index, answer) in wording.answers.iter().enumerate() {
                    assert!(!answer.is_empty());
                    assert!(!wording.answers[..index].contains(answer), "{answer}");
                }
            }
        }
        let four = Rating::new(4).expect("4");
        assert_eq!(four.words(Element::Cost, Language::Indonesian), "Gratis");
        assert_eq!(
            Rating::new(1)
                .expect("1")
                .words(Element::Facilities, Language::English),
            "Poor"
        );
    }

    #[test]
    fn answers_read_by_code_and_refuse_gaps_strangers_and_out_of_scale_values() {
        let mut answers = Answers::uniform(Rating::new(3).expect("3"));
        answers.set(Element::Facilities, Rating::new(4).expect("4"));
        let json = serde_json::to_value(&answers).expect("json");
        assert_eq!(json["facilities"], 4);
        assert_eq!(json["complaints"], 3);
        assert_eq!(
            serde_json::from_value::<Answers>(json.clone()).ok(),
            Some(answers)
        );
        let mut missing = json.clone();
        missing.as_object_mut().expect("object").remove("cost");
        let error = serde_json::from_value::<Answers>(missing).expect_err("a gap");
        assert!(
            error.to_string().contains("cost (U4) is missing"),
            "{error}"
        );
        let mut stranger = json.clone();
        stranger["u10"] = 3.into();
        assert!(serde_json::from_value::<Answers>(stranger).is_err());
        let mut five = json;
        five["cost"] = 5.into();
        let error = serde_json::from_value::<Answers>(five).expect_err("out of scale");
        assert!(error.to_string().contains("1 to 4, not 5"), "{error}");
        assert_eq!(Rating::new(0), None);
    }
}
