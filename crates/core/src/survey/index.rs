//! The satisfaction index (IKM) of PermenPANRB 14/2017, computed exactly.
//!
//! Per element the NRR (nilai rata-rata) is the sum of its answers ÷ respondents. The index is
//! Σ(NRR × weight) × 25, on 25–100. The weight is 1/9 (nine equal elements), but the regulation
//! writes it rounded as 0.11, and offices that follow the text get a lower figure (1 % less,
//! up to a point near the top of the scale): both are reported, each with its label, so nobody compares a
//! 0.11 figure with a 1/9 one by accident.
//!
//! Everything is whole numbers: sums of answers and counts of respondents, divided once at the
//! end and rounded half up to hundredths, the precision of the grade bands. No float rounding
//! can move a result across a band.

use std::fmt;

use serde::Serialize;

use super::{Answers, Element};

/// Fewest respondents for a figure to be shown as an index. One respondent moves the index by
/// at most 75 ÷ n points (all answers 1 against all 4); at 30 that is 2.5 points, a fifth of
/// the narrowest grade band (B, 11.7 points), so no single person decides a grade. It is also
/// the usual floor for a sample mean to be read at all. Fewer respondents are reported as
/// "too few", never as an index.
pub const MIN_RESPONDENTS: u32 = 30;

/// Which weight an index was computed with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Weight {
    /// 0.11, as the regulation writes it.
    Regulation,
    /// 1/9, what 0.11 stands for.
    Exact,
}

impl Weight {
    pub const ALL: [Weight; 2] = [Weight::Regulation, Weight::Exact];

    /// How the figure is labelled on reports and in CSV headers.
    pub fn label(self) -> &'static str {
        match self {
            Weight::Regulation => "IKM (bobot 0,11)",
            Weight::Exact => "IKM (bobot 1/9)",
        }
    }

    /// The weight as a fraction `(numerator, denominator)`.
    fn fraction(self) -> (u64, u64) {
        match self {
            Weight::Regulation => (11, 100),
            Weight::Exact => (1, 9),
        }
    }
}

/// A figure in hundredths, e.g. 9056 for 90.56; printed with two decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Hundredths(pub u32);

impl Hundredths {
    /// `numerator ÷ denominator` in hundredths, rounded half up.
    fn of(numerator: u64, denominator: u64) -> Self {
        let hundredths = (numerator * 100 * 2 + denominator) / (denominator * 2);
        Self(hundredths as u32)
    }

    pub fn as_f64(self) -> f64 {
        f64::from(self.0) / 100.0
    }
}

impl fmt::Display for Hundredths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

/// A figure in thousandths, e.g. 405 for 0.405: an element's NRR times its weight, as the
/// reporting template's "NRR tertimbang" row prints it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Thousandths(pub u32);

impl fmt::Display for Thousandths {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:03}", self.0 / 1000, self.0 % 1000)
    }
}

/// The regulation's grade (mutu pelayanan) of an index.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Grade {
    /// 88.31–100, sangat baik.
    A,
    /// 76.61–88.30, baik.
    B,
    /// 65.00–76.60, kurang baik.
    C,
    /// 25.00–64.99, tidak baik.
    D,
}

impl Grade {
    /// The grade of an index as reported (to hundredths), by the regulation's bands.
    pub fn of(index: Hundredths) -> Self {
        match index.0 {
            8831.. => Grade::A,
            7661.. => Grade::B,
            6500.. => Grade::C,
            _ => Grade::D,
        }
    }

    /// The regulation's words for the grade.
    pub fn performance(self) -> &'static str {
        match self {
            Grade::A => "sangat baik",
            Grade::B => "baik",
            Grade::C => "kurang baik",
            Grade::D => "tidak baik",
        }
    }
}

/// The sum of one element's answers and how many answered: its NRR is `sum ÷ respondents`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ElementScore {
    pub element: Element,
    pub sum: u64,
    pub respondents: u32,
}

impl ElementScore {
    /// The NRR in hundredths (e.g. 368 for 3.68), for reports and bar charts; `None` when
    /// nobody answered.
    pub fn nrr(&self) -> Option<Hundredths> {
        (self.respondents > 0).then(|| Hundredths::of(self.sum, u64::from(self.respondents)))
    }

    /// NRR × `weight` in thousandths, from the exact sum (never from the rounded NRR), rounded
    /// half up; `None` when nobody answered. A report's row of these, added up and × 25, is
    /// the index only up to their rounding: the index itself comes from [`Tally::index`].
    pub fn weighted_nrr(&self, weight: Weight) -> Option<Thousandths> {
        (self.respondents > 0).then(|| {
            let (numerator, denominator) = weight.fraction();
            let top = self.sum * numerator;
            let bottom = u64::from(self.respondents) * denominator;
            Thousandths(((top * 1000 * 2 + bottom) / (bottom * 2)) as u32)
        })
    }
}

/// Running totals over any number of responses (a day, an agency, a counter, a period).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    respondents: u32,
    sums: [u64; 9],
}

/// An index with its grade, for one weight.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Index {
    pub weight: Weight,
    pub value: Hundredths,
    pub grade: Grade,
}

/// What a tally says: the index under both weights, or that there are too few respondents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    TooFew { respondents: u32, needed: u32 },
    Index { regulation: Index, exact: Index },
}

impl Tally {
    pub fn add(&mut self, answers: &Answers) {
        self.respondents += 1;
        for (sum, (_, rating)) in self.sums.iter_mut().zip(answers.iter()) {
            *sum += u64::from(rating.value());
        }
    }

    pub fn respondents(&self) -> u32 {
        self.respondents
    }

    /// Each element's sum and respondents, in the regulation's order.
    pub fn elements(&self) -> Vec<ElementScore> {
        Element::ALL
            .into_iter()
            .zip(self.sums)
            .map(|(element, sum)| ElementScore {
                element,
                sum,
                respondents: self.respondents,
            })
            .collect()
    }

    /// Σ(NRR × weight) × 25 = (Σ sums) × weight × 25 ÷ respondents, since every respondent
    /// answers every element; `None` without respondents.
    pub fn index(&self, weight: Weight) -> Option<Index> {
        if self.respondents == 0 {
            return None;
        }
        let total: u64 = self.sums.iter().sum();
        let (numerator, denominator) = weight.fraction();
        let value = Hundredths::of(
            total * numerator * 25,
            denominator * u64::from(self.respondents),
        );
        Some(Index {
            weight,
            value,
            grade: Grade::of(value),
        })
    }

    /// The index under both weights, or "too few" below [`MIN_RESPONDENTS`].
    pub fn verdict(&self) -> Verdict {
        match (self.index(Weight::Regulation), self.index(Weight::Exact)) {
            (Some(regulation), Some(exact)) if self.respondents >= MIN_RESPONDENTS => {
                Verdict::Index { regulation, exact }
            }
            _ => Verdict::TooFew {
                respondents: self.respondents,
                needed: MIN_RESPONDENTS,
            },
        }
    }
}

impl<'a> FromIterator<&'a Answers> for Tally {
    fn from_iter<I: IntoIterator<Item = &'a Answers>>(responses: I) -> Self {
        let mut tally = Tally::default();
        for answers in responses {
            tally.add(answers);
        }
        tally
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::survey::Rating;

    fn rating(value: u8) -> Rating {
        Rating::new(value).expect("1 to 4")
    }

    /// 44 respondents. Every answer is a 3 or a 4; per element, this many answered 4 (the
    /// rest 3). Sum of 4s: 261 of 396 answers.
    const FOURS: [usize; 9] = [30, 28, 25, 32, 29, 27, 31, 26, 33];
    const RESPONDENTS: usize = 44;

    fn dataset() -> Vec<Answers> {
        (0..RESPONDENTS)
            .map(|respondent| {
                let mut answers = Answers::uniform(rating(3));
                for (element, fours) in Element::ALL.into_iter().zip(FOURS) {
                    if respondent < fours {
                        answers.set(element, rating(4));
                    }
                }
                answers
            })
            .collect()
    }

    #[test]
    fn the_index_of_a_fixed_dataset_matches_the_hand_computation_under_both_weights() {
        let tally: Tally = dataset().iter().collect();
        assert_eq!(tally.respondents(), 44);
        // By hand. Requirements: 30 × 4 + 14 × 3 = 162; NRR = 162 ÷ 44 = 3.6818… → 3.68.
        let elements = tally.elements();
        assert_eq!(elements[0].sum, 162);
        assert_eq!(elements[0].nrr(), Some(Hundredths(368)));
        // Weighted: 162 × 0.11 ÷ 44 = 0.405 exactly; 162 ÷ 9 ÷ 44 = 0.40909… → 0.409.
        let weighted = |weight| elements[0].weighted_nrr(weight).map(|w| w.to_string());
        assert_eq!(weighted(Weight::Regulation), Some("0.405".into()));
        assert_eq!(weighted(Weight::Exact), Some("0.409".into()));
        // Product: 29 × 4 + 15 × 3 = 161 → 3.659… → 3.66.
        assert_eq!(elements[4].sum, 161);
        assert_eq!(
            elements[4].nrr().map(|n| n.to_string()),
            Some("3.66".into())
        );
        // All answers: 396 × 3 + 261 = 1449; Σ NRR = 1449 ÷ 44 = 32.9318…
        assert_eq!(elements.iter().map(|e| e.sum).sum::<u64>(), 1449);
        // × 0.11 × 25 = 90.5625 → 90.56;  × 1/9 × 25 = 91.4772… → 91.48.
        let regulation = tally.index(Weight::Regulation).expect("respondents");
        let exact = tally.index(Weight::Exact).expect("respondents");
        assert_eq!(regulation.value.to_string(), "90.56");
        assert_eq!(exact.value.to_string(), "91.48");
        assert_eq!((regulation.grade, exact.grade), (Grade::A, Grade::A));
        assert_eq!(tally.verdict(), Verdict::Index { regulation, exact });
    }

    #[test]
    fn the_two_weights_can_give_two_grades() {
        // Eight 3s and one 4: Σ NRR = 28. 0.11 → 28 × 2.75 = 77.00; 1/9 → 28 × 25/9 = 77.78.
        let mut answers = Answers::uniform(rating(3));
        answers.set(Element::Cost, rating(4));
        let tally: Tally = std::iter::repeat_n(&answers, 30).collect();
        assert_eq!(
            tally.index(Weight::Regulation).map(|i| i.value),
            Some(Hundredths(7700))
        );
        assert_eq!(
            tally.index(Weight::Exact).map(|i| i.value),
            Some(Hundredths(7778))
        );
        // Σ NRR = 32 (five 4s, four 3s): 0.11 → 88.00 (B), 1/9 → 88.89 (A).
        let mut answers = Answers::uniform(rating(3));
        for element in &Element::ALL[..5] {
            answers.set(*element, rating(4));
        }
        let tally: Tally = std::iter::repeat_n(&answers, 30).collect();
        let grade = |weight| tally.index(weight).map(|index| index.grade);
        assert_eq!(grade(Weight::Regulation), Some(Grade::B));
        assert_eq!(grade(Weight::Exact), Some(Grade::A));
    }

    #[test]
    fn the_bands_meet_at_their_printed_edges() {
        let grade = |hundredths| Grade::of(Hundredths(hundredths));
        assert_eq!(grade(10000), Grade::A);
        assert_eq!(grade(8831), Grade::A);
        assert_eq!(grade(8830), Grade::B);
        assert_eq!(grade(7661), Grade::B);
        assert_eq!(grade(7660), Grade::C);
        assert_eq!(grade(6500), Grade::C);
        assert_eq!(grade(6499), Grade::D);
        assert_eq!(grade(2500), Grade::D);
        assert_eq!(Grade::C.performance(), "kurang baik");
        // The scale's ends: all 1s is 25.00 under 1/9, all 4s is 100.00.
        let ends = |value| {
            let tally: Tally = std::iter::repeat_n(&Answers::uniform(rating(value)), 30).collect();
            tally
                .index(Weight::Exact)
                .map(|index| index.value.to_string())
        };
        assert_eq!(ends(1), Some("25.00".into()));
        assert_eq!(ends(4), Some("100.00".into()));
    }

    #[test]
    fn too_few_respondents_give_no_index() {
        let answers = dataset();
        let tally: Tally = answers[..29].iter().collect();
        assert_eq!(
            tally.verdict(),
            Verdict::TooFew {
                respondents: 29,
                needed: MIN_RESPONDENTS
            }
        );
        assert_eq!(Tally::default().index(Weight::Exact), None);
        let tally: Tally = answers[..30].iter().collect();
        assert!(matches!(tally.verdict(), Verdict::Index { .. }));
        assert_eq!(Weight::Regulation.label(), "IKM (bobot 0,11)");
        assert_eq!(Weight::Exact.label(), "IKM (bobot 1/9)");
    }
}
