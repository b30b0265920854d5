//! The Chromium command line a lobby TV runs, built from the configuration alone (pure and
//! tested), and the profile folder it starts with: emptied at every start, so a browser that
//! crashed or lost power never greets the hall with a "restore pages?" bubble or a stale
//! cache, and seeded with the one preference no switch sets: no offer to translate the
//! Indonesian page (`--disable-translate` no longer stops it: Chromium 156 showed its bubble
//! over the page under cage, measured). Each flag was checked against Debian's Chromium 156
//! (the switch's name is in the binary); see packaging/README.md for why each is there.

use std::path::{Path, PathBuf};

use crate::config::DisplayConfig;

/// The state folder when systemd gives none (`StateDirectory=mpp-display` sets
/// `$STATE_DIRECTORY` to this).
pub const DEFAULT_STATE_DIRECTORY: &str = "/var/lib/mpp-display";
/// The profile's folder inside the state folder.
const PROFILE: &str = "chromium";
/// The fresh profile's preferences: never offer to translate the page (it is in Indonesian,
/// the browser's language English: without this a bubble covers the top right corner).
pub const PREFERENCES: &str = r#"{"translate":{"enabled":false}}"#;
/// Chromium's interval between update checks, in seconds: a year. Debian updates it through
/// apt; the browser must never put an "update" notice in front of the calls.
const UPDATE_CHECK_SECONDS: u32 = 365 * 24 * 3600;

/// Where the browser runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Session {
    /// A Wayland compositor (cage) is there: `WAYLAND_DISPLAY` is set.
    Wayland,
    /// Anything else: Chromium picks (X11 on a desktop, for a technician trying it).
    Other,
}

impl Session {
    /// The session of this process's environment.
    pub fn current() -> Self {
        match std::env::var_os("WAYLAND_DISPLAY") {
            Some(name) if !name.is_empty() => Self::Wayland,
            _ => Self::Other,
        }
    }
}

/// A program and its arguments.
#[derive(Clone, Debug, PartialEq)]
pub struct Launch {
    pub program: PathBuf,
    pub args: Vec<String>,
}

impl Launch {
    /// The command as a technician would type it (for `check` and the log).
    pub fn shown(&self) -> String {
        let mut words = vec![self.program.display().to_string()];
        words.extend(self.args.iter().cloned());
        words.join(" ")
    }
}

/// Chromium full screen on the configured page, sound allowed without a click, nothing of
/// the browser's own (bubbles, first-run pages, translation offers, update notices, keyring
/// prompts) ever on the TV, and no remote debugging.
pub fn chromium(config: &DisplayConfig, profile: &Path, session: Session) -> Launch {
    let mut args: Vec<String> = [
        // Full screen, no address bar, no way out by the keyboard's usual keys.
        "--kiosk",
        // A TV switched on overnight must speak the first call without anyone touching it.
        "--autoplay-policy=no-user-gesture-required",
        "--noerrdialogs",
        "--disable-infobars",
        "--no-first-run",
        "--no-default-browser-check",
        // No GNOME keyring or KWallet in a cage session: never wait for one.
        "--password-store=basic",
    ]
    .map(str::to_owned)
    .into();
    args.push(format!(
        "--check-for-update-interval={UPDATE_CHECK_SECONDS}"
    ));
    args.push(format!("--user-data-dir={}", profile.display()));
    if session == Session::Wayland {
        // Speak Wayland to cage directly, not through Xwayland.
        args.push("--ozone-platform=wayland".to_owned());
    }
    if let Some(zoom) = config.zoom {
        args.push(format!("--force-device-scale-factor={zoom}"));
    }
    // Last, and checked to begin with http:// or https://, so never read as a flag.
    args.push(config.url.clone());
    Launch {
        program: config.chromium.clone(),
        args,
    }
}

/// The state folder: systemd's `$STATE_DIRECTORY` (its first entry), else the package's.
pub fn state_directory() -> PathBuf {
    std::env::var_os("STATE_DIRECTORY")
        .and_then(|value| std::env::split_paths(&value).next())
        .filter(|path| !path.as_os_str().is_empty())
        .unwrap_or_else(|| DEFAULT_STATE_DIRECTORY.into())
}

/// The profile's folder inside `state`.
pub fn profile_in(state: &Path) -> PathBuf {
    state.join(PROFILE)
}

/// Why the browser could not be started.
#[derive(Debug, thiserror::Error)]
pub enum LaunchError {
    #[error("the state folder {0} does not exist (StateDirectory=mpp-display makes it)")]
    NoStateDirectory(PathBuf),
    #[error("cannot empty the browser's profile {path}: {source}")]
    Profile {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the browser {path} is not installed (apt-get install chromium, or set chromium in the configuration)"
    )]
    NoBrowser { path: PathBuf },
    #[error("cannot start the browser {path}: {source}")]
    Exec {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Empties (or makes) the profile folder inside `state`, owner-only, with [`PREFERENCES`] in
/// its default profile; its path.
pub fn fresh_profile(state: &Path) -> Result<PathBuf, LaunchError> {
    use std::os::unix::fs::DirBuilderExt;
    if !state.is_dir() {
        return Err(LaunchError::NoStateDirectory(state.to_owned()));
    }
    let profile = profile_in(state);
    let failed = |source| LaunchError::Profile {
        path: profile.clone(),
        source,
    };
    match std::fs::remove_dir_all(&profile) {
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => return Err(failed(error)),
        _ => {}
    }
    let default = profile.join("Default");
    std::fs::DirBuilder::new()
        .mode(0o700)
        .recursive(true)
        .create(&default)
        .map_err(failed)?;
    std::fs::write(default.join("Preferences"), PREFERENCES).map_err(failed)?;
    Ok(profile)
}

/// Whether `program` is a file this user may run.
pub fn check_browser(program: &Path) -> Result<(), LaunchError> {
    use std::os::unix::fs::PermissionsExt;
    match std::fs::metadata(program) {
        Ok(meta) if meta.is_file() && meta.permissions().mode() & 0o111 != 0 => Ok(()),
        _ => Err(LaunchError::NoBrowser {
            path: program.to_owned(),
        }),
    }
}

/// Replaces this process with the browser (cage's child is then Chromium itself, and its
/// exit ends cage and the unit, which systemd starts again). Returns only on failure.
pub fn exec(launch: &Launch) -> LaunchError {
    use std::os::unix::process::CommandExt;
    let source = std::process::Command::new(&launch.program)
        .args(&launch.args)
        .exec();
    LaunchError::Exec {
        path: launch.program.clone(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URL: &str = "http://192.168.1.10:8080/display?mpp=blora&zone=lantai-1";

    fn config(zoom: Option<f64>) -> DisplayConfig {
        DisplayConfig {
            url: URL.into(),
            chromium: "/usr/bin/chromium".into(),
            zoom,
        }
    }

    fn args(zoom: Option<f64>, session: Session) -> Vec<String> {
        let profile = Path::new("/var/lib/mpp-display/chromium");
        chromium(&config(zoom), profile, session).args
    }

    #[test]
    fn under_cage_chromium_is_a_wayland_kiosk_that_may_play_sound() {
        let launch = chromium(
            &config(None),
            Path::new("/var/lib/mpp-display/chromium"),
            Session::Wayland,
        );
        assert_eq!(launch.program, Path::new("/usr/bin/chromium"));
        assert_eq!(
            launch.args,
            [
                "--kiosk",
                "--autoplay-policy=no-user-gesture-required",
                "--noerrdialogs",
                "--disable-infobars",
                "--no-first-run",
                "--no-default-browser-check",
                "--password-store=basic",
                "--check-for-update-interval=31536000",
                "--user-data-dir=/var/lib/mpp-display/chromium",
                "--ozone-platform=wayland",
                URL,
            ]
        );
        assert!(launch.shown().starts_with("/usr/bin/chromium --kiosk "));
        assert!(launch.shown().ends_with(URL));
    }

    #[test]
    fn outside_wayland_chromium_picks_its_platform_itself() {
        let args = args(None, Session::Other);
        assert!(!args.iter().any(|arg| arg.starts_with("--ozone-platform")));
        assert_eq!(args.last().map(String::as_str), Some(URL));
    }

    #[test]
    fn zoom_is_chromiums_device_scale_factor() {
        let args = args(Some(1.5), Session::Wayland);
        assert!(args.contains(&"--force-device-scale-factor=1.5".to_owned()));
        assert_eq!(args.last().map(String::as_str), Some(URL), "the page last");
    }

    #[test]
    fn never_remote_debugging_nor_a_disabled_sandbox() {
        for session in [Session::Wayland, Session::Other] {
            for arg in args(Some(2.0), session) {
                assert!(
                    !arg.contains("remote-debugging") && !arg.contains("no-sandbox"),
                    "{arg}"
                );
            }
        }
    }

    #[test]
    fn the_profile_starts_empty_every_time() {
        let state = tempfile::tempdir().expect("temp dir");
        let profile = fresh_profile(state.path()).expect("made");
        assert_eq!(profile, state.path().join("chromium"));
        std::fs::create_dir_all(profile.join("Default")).expect("a profile");
        std::fs::write(
            profile.join("Default/Preferences"),
            "{\"exited_cleanly\":false}",
        )
        .expect("a crashed session");
        std::fs::write(profile.join("Local State"), "{}").expect("more state");
        let again = fresh_profile(state.path()).expect("emptied");
        let left: Vec<_> = walk(&again);
        assert_eq!(
            left,
            [again.join("Default"), again.join("Default/Preferences")]
        );
        let preferences = std::fs::read_to_string(again.join("Default/Preferences"));
        assert_eq!(preferences.expect("written"), PREFERENCES);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&again)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o700);
        let missing = state.path().join("missing");
        assert!(matches!(
            fresh_profile(&missing),
            Err(LaunchError::NoStateDirectory(_))
        ));
    }

    /// Every path below `folder`, sorted.
    fn walk(folder: &Path) -> Vec<PathBuf> {
        let mut found = Vec::new();
        for entry in std::fs::read_dir(folder).expect("folder").flatten() {
            let path = entry.path();
            found.push(path.clone());
            if path.is_dir() {
                found.extend(walk(&path));
            }
        }
        found.sort();
        found
    }

    #[test]
    fn a_missing_browser_is_named() {
        let error = check_browser(Path::new("/nonexistent/chromium")).expect_err("missing");
        assert!(error.to_string().contains("/nonexistent/chromium"));
        assert!(check_browser(Path::new("/bin/sh")).is_ok());
    }
}
