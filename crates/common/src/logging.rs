//! Logs on stderr for both programs: level from an environment variable, colour only on a
//! terminal (journald and files get plain text). Never personal data: there is none to log.

/// Sets up logging; `variable` (e.g. `MPP_KIOSK_LOG`) overrides `default` (e.g. `warn`).
pub fn init(variable: &str, default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env(variable)
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
}
