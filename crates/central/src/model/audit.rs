//! The audit entries a kiosk sent, as the fleet page lists them.

use mpp_core::protocol::AuditRecord;

/// One kiosk's latest entries, newest first, as the fleet page lists them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KioskAudit {
    pub kiosk: String,
    pub entries: Vec<AuditRecord>,
}

/// Entries of each kiosk that `/fleet` lists.
pub const LATEST_SHOWN: u32 = 5;
