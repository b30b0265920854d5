//! Why a kiosk that runs cannot give out numbers now: the screen says so on its first page
//! instead of after the visitor's last tap, and the technician's menu opens where it is fixed.

use crate::lang::Language;
use crate::strings::Text;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssueHold {
    /// The kiosk's clock and the server's disagree about the day: numbering waits for a
    /// technician (the menu's Recovery page, or `mpp-kiosk day settle`).
    DayInDoubt,
    /// A new database waits to learn where today's numbers start (from the server, or
    /// `mpp-kiosk day start-at N`).
    NumbersAwaited,
    /// The last number could not be saved (the database or the disk): staff must look.
    Fault,
}

/// Which page of the technician's menu fixes a hold.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixedOn {
    Recovery,
    Kiosk,
}

impl IssueHold {
    /// The hint for staff, in small print under the visitor's words.
    pub fn staff_hint(self, language: Language) -> &'static str {
        match self {
            IssueHold::DayInDoubt => Text::HoldDayInDoubt.get(language),
            IssueHold::NumbersAwaited => Text::HoldNumbersAwaited.get(language),
            IssueHold::Fault => Text::HoldFault.get(language),
        }
    }

    pub fn fixed_on(self) -> FixedOn {
        match self {
            IssueHold::DayInDoubt | IssueHold::NumbersAwaited => FixedOn::Recovery,
            IssueHold::Fault => FixedOn::Kiosk,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_hold_names_its_fix_for_staff_in_both_languages() {
        for hold in [
            IssueHold::DayInDoubt,
            IssueHold::NumbersAwaited,
            IssueHold::Fault,
        ] {
            let id = hold.staff_hint(Language::Indonesian);
            let en = hold.staff_hint(Language::English);
            assert_ne!(id, en);
            let page = match hold.fixed_on() {
                FixedOn::Recovery => ("Pemulihan", "Recovery"),
                FixedOn::Kiosk => ("Kios ini", "This kiosk"),
            };
            assert!(
                id.contains(page.0) && en.contains(page.1),
                "{hold:?}: {id} / {en}"
            );
        }
    }
}
