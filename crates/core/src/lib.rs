//! The pure core of the kiosk: catalog, schedules, numbering, tickets, receipt layout and the
//! words on screen and paper. No UI, storage, serial or network code lives here; the current
//! time is always a parameter.

pub mod catalog;
pub mod catalog_json;
pub mod closure_sync;
pub mod day;
pub mod day_check;
pub mod ids;
pub mod issue_hold;
pub mod lang;
pub mod maintenance;
pub mod numbering;
pub mod personal_data;
pub mod printer_state;
pub mod protocol;
pub mod receipt;
pub mod schedule;
pub mod speech;
pub mod staff_closure;
pub mod staff_notice;
pub mod strings;
pub mod survey;
pub mod ticket;
pub mod url;
pub mod validate;
pub mod wait;

#[cfg(any(test, feature = "testing"))]
pub mod testing;

/// The names an enum has in the database (strum) and on the wire (serde) are one and the same.
#[cfg(test)]
mod stable_names {
    use crate::lang::Language;
    use crate::numbering::Lane;
    use crate::printer_state::PrinterState;
    use crate::protocol::CounterStatus;
    use crate::ticket::TicketStatus;

    fn json(value: impl serde::Serialize) -> String {
        serde_json::to_string(&value).expect("serialises")
    }

    #[test]
    fn strum_and_serde_agree() {
        for status in TicketStatus::ALL {
            assert_eq!(json(status), format!("\"{}\"", status.as_str()));
            assert_eq!(TicketStatus::parse(status.as_str()), Some(status));
        }
        for state in PrinterState::ALL {
            assert_eq!(json(state), format!("\"{}\"", state.as_str()));
        }
        for lane in [Lane::Regular, Lane::Priority] {
            assert_eq!(json(lane), format!("\"{}\"", lane.as_str()));
            assert_eq!(Lane::parse(lane.as_str()), Some(lane));
        }
        for status in [
            CounterStatus::Called,
            CounterStatus::Served,
            CounterStatus::NoShow,
        ] {
            assert_eq!(json(status), format!("\"{}\"", status.as_str()));
            assert_eq!(CounterStatus::parse(status.as_str()), Some(status));
        }
        for language in Language::ALL {
            assert_eq!(json(language), format!("\"{}\"", language.code()));
        }
        assert_eq!(Lane::parse("Priority"), None, "names are exact");
    }
}
