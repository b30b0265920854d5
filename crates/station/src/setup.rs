//! The kiosk put together from its configuration: the store's and the printer's settings are
//! built here, so neither the store nor the printer knows what kiosk.toml looks like.

use crate::config::Config;
use crate::printer::Layout;
use crate::printer::encode::EncodeOptions;
use crate::printer::job::prepare_logo;
use crate::store::{IssueSettings, NumberingPlan};

/// What the store needs to issue a ticket.
pub fn issue_settings(config: &Config) -> IssueSettings {
    IssueSettings {
        kiosk_id: config.kiosk.id.clone(),
        range: config.kiosk.number_range,
        time_zone: config.mpp.time_zone,
        qr_base_url: config.ticket.qr_base_url.clone(),
        signing_key: config.signing_key().to_vec(),
    }
}

/// How the store settles where a new database's numbers start.
pub fn numbering_plan(config: &Config) -> NumberingPlan {
    NumberingPlan {
        record: Some(config.storage.numbers_record_path()),
        kiosk: config.kiosk.id.clone(),
        server_expected: config.sync.enabled,
    }
}

/// Everything about the paper; the logo is read and converted once, here.
pub fn receipt_layout(config: &Config, logo_png: Option<&[u8]>) -> Layout {
    let printer = &config.printer;
    let logo = if printer.logo {
        logo_png.and_then(prepare_logo)
    } else {
        None
    };
    Layout {
        mpp_name: config.mpp.name.clone(),
        mpp_address: config.mpp.address.clone(),
        complaints: config.mpp.complaints.clone(),
        time_zone: config.mpp.time_zone,
        language: config.ticket.language,
        width: printer.paper_width_mm,
        options: EncodeOptions {
            qr_module_size: printer.qr_module_size,
            qr_error_correction: printer.qr_error_correction,
            logo,
        },
        survey_key: config.survey.enabled.then(|| config.signing_key().to_vec()),
    }
}
