//! What visitors read on a service staff closed for the rest of the day. The notice is picked
//! from a fixed list, never typed, so visitors read it in their language and nothing personal
//! can be written into it.

/// What the visitors read on a service staff closed for today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum StaffNotice {
    /// The officer who serves it is not in today.
    OfficerAway,
    /// The agency's own system (SIAK, SKCK online, …) is down.
    SystemDown,
    /// The agency has taken all the visitors it can serve today.
    FullToday,
    /// Closed for the rest of the day, no reason given.
    ClosedToday,
}

impl StaffNotice {
    pub const ALL: [StaffNotice; 4] = [
        StaffNotice::OfficerAway,
        StaffNotice::SystemDown,
        StaffNotice::FullToday,
        StaffNotice::ClosedToday,
    ];

    /// The notice as stored and audited.
    pub fn code(self) -> &'static str {
        match self {
            StaffNotice::OfficerAway => "officer_away",
            StaffNotice::SystemDown => "system_down",
            StaffNotice::FullToday => "full_today",
            StaffNotice::ClosedToday => "closed_today",
        }
    }

    /// The notice of a stored code; `None` for a code this version does not know.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|notice| notice.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn notices_round_trip_through_their_codes_and_unknown_codes_are_none() {
        for notice in StaffNotice::ALL {
            assert_eq!(StaffNotice::from_code(notice.code()), Some(notice));
        }
        assert_eq!(StaffNotice::from_code("officer away"), None);
    }
}
