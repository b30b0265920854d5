//! What the technician's menu shows of this kiosk's configuration, in the menu's two
//! languages: never a secret (the signing key, the sync token) and never a PIN.

use std::time::Duration;

use mpp_core::lang::Localized;
use mpp_station::config::{Config, ScannerSettings};
use mpp_station::printer::settings::{PrinterSettings, TransportKind};

use super::app;
use super::screen;

pub fn menu_settings(config: &Config) -> app::MenuSettings {
    let timeout = config.ui.maintenance_timeout_seconds;
    app::MenuSettings {
        timeout: Duration::from_secs(timeout),
        facts: screen::maintenance::Facts {
            version: env!("CARGO_PKG_VERSION").into(),
            kiosk_id: config.kiosk.id.to_string(),
            number_range: (
                config.kiosk.number_range.first,
                config.kiosk.number_range.last,
            ),
            printer_port: printer_words(&config.printer),
            config_summary: summary(config),
            full_screen: config.ui.fullscreen,
            timeout_minutes: timeout.div_ceil(60),
            syncs: config.sync.enabled,
            time_zone: config.mpp.time_zone,
        },
    }
}

fn summary(config: &Config) -> Vec<Localized> {
    let database = config.storage.database.display();
    let zone = config.mpp.time_zone.name();
    let sync = if config.sync.enabled {
        let (url, every) = (&config.sync.server_url, config.sync.interval_seconds);
        Localized::new(
            format!("Sinkronisasi: {url} tiap {every} detik"),
            format!("Sync: {url} every {every} s"),
        )
    } else {
        Localized::new("Sinkronisasi: mati", "Sync: off")
    };
    vec![
        Localized::new(
            format!("Basis data: {database}"),
            format!("Database: {database}"),
        ),
        Localized::new(format!("Zona waktu: {zone}"), format!("Time zone: {zone}")),
        sync,
        scanner_words(config.scanner.as_ref()),
        speech_words(&config.speech),
        Localized::new(
            "ticket.signing_key, sync.token: terisi (disembunyikan)",
            "ticket.signing_key, sync.token: set (hidden)",
        ),
    ]
}

/// Where tickets go, as the printer page says it.
fn printer_words(printer: &PrinterSettings) -> Localized {
    let folder = printer.output_dir.display();
    match printer.transport {
        TransportKind::Serial => Localized::new(
            format!("printer serial {} ({} baud)", printer.port, printer.baud),
            format!("serial printer {} ({} baud)", printer.port, printer.baud),
        ),
        TransportKind::File => Localized::new(
            format!("berkas ESC/POS di {folder}"),
            format!("ESC/POS files in {folder}"),
        ),
        TransportKind::Virtual => Localized::new(
            format!("printer virtual: gambar tiket di {folder}"),
            format!("virtual printer: ticket pictures in {folder}"),
        ),
    }
}

/// Speech mode's output and keypads as found when the kiosk started (`doctor` and the menu's
/// test sound check them again).
fn speech_words(speech: &mpp_station::config::SpeechSection) -> Localized {
    if !speech.enabled {
        return Localized::new("Mode suara: mati", "Speech mode: off");
    }
    let output = mpp_audio::probe(&speech.device, mpp_voice::RATE);
    let keypads = mpp_station::keypad::keyboards().filter(|names| !names.is_empty());
    let (id_keypads, en_keypads) = match keypads {
        Some(names) => (names.join(", "), names.join(", ")),
        None => ("tidak ada".to_owned(), "none found".to_owned()),
    };
    Localized::new(
        format!("Mode suara: keluaran headphone {output}; keypad: {id_keypads}"),
        format!("Speech mode: headphone output {output}; keypads: {en_keypads}"),
    )
}

fn scanner_words(scanner: Option<&ScannerSettings>) -> Localized {
    match scanner {
        Some(scanner) => Localized::new(
            format!("Pemindai tiket: {}", scanner.describe_id()),
            format!("Ticket scanner: {}", scanner.describe()),
        ),
        None => Localized::new("Pemindai tiket: tidak dipasang", "Ticket scanner: none"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use mpp_core::lang::Language;

    #[test]
    fn the_menu_names_the_scanner_or_says_there_is_none_in_its_language() {
        let none = scanner_words(None);
        assert_eq!(
            none.get(Language::Indonesian),
            "Pemindai tiket: tidak dipasang"
        );
        assert_eq!(none.get(Language::English), "Ticket scanner: none");
        let fitted = ScannerSettings {
            port: "/dev/kiosk-scanner".into(),
            baud: 19200,
        };
        let words = scanner_words(Some(&fitted));
        assert_eq!(
            words.get(Language::Indonesian),
            "Pemindai tiket: /dev/kiosk-scanner (19200 baud)"
        );
        assert_eq!(
            words.get(Language::English),
            "Ticket scanner: /dev/kiosk-scanner at 19200 baud"
        );
    }
}
