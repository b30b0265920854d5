//! A TV for a test: the real `mpp-display` inside cage, its pictures taken with grim.
//!
//! cage runs with its X11 backend, its output a window inside an Xvfb, and not with its
//! headless backend: under Debian 12's cage 0.1.4 (wlroots 0.16) on the headless backend with
//! the pixman renderer, Chromium's Wayland window never got past its first small frame
//! ("Basic output test failed for HEADLESS-1", measured), where on the X11 backend it fills the
//! output and keeps drawing. Chromium speaks Wayland to cage either way, as on a real TV; only
//! where cage's output goes differs.
//!
//! The profile folder (`STATE_DIRECTORY`) and configuration are the test's; the browser is a
//! two-line wrapper named by the configuration's `chromium` key that adds
//! `--remote-debugging-port=0`, so the test can read the page's own log (mpp-display itself
//! never opens a debugging port).

use std::io::{BufRead, BufReader, Write as _};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The user cage runs as when the tests run as root (`.ci/run` creates it): cage refuses root.
const SCREEN_USER: &str = "mpp-screen";
/// The programs a TV needs here.
const TOOLS: [&str; 7] = [
    "cage", "grim", "Xwayland", "Xvfb", "chromium", "xdotool", "xwininfo",
];
/// The size of cage's X11 output window at first (wlroots' default).
pub const FIRST_OUTPUT: (u32, u32) = (1024, 768);
/// A TV's, which the output window is then given (as a TV that settles on its mode late).
pub const TV_OUTPUT: (u32, u32) = (1920, 1080);

/// A picture of cage's whole output, as RGB.
pub struct Picture {
    pub width: u32,
    pub height: u32,
    rgb: Vec<u8>,
}

impl Picture {
    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        let at = ((y * self.width + x) * 3) as usize;
        [self.rgb[at], self.rgb[at + 1], self.rgb[at + 2]]
    }

    /// Whether every fourth pixel of the outermost rows and columns is `colour`.
    pub fn edges_are(&self, colour: [u8; 3]) -> bool {
        let (right, bottom) = (self.width - 1, self.height - 1);
        let across = (0..self.width)
            .step_by(4)
            .flat_map(|x| [(x, 0), (x, bottom)]);
        let down = (0..self.height)
            .step_by(4)
            .flat_map(|y| [(0, y), (right, y)]);
        self.width > 0 && across.chain(down).all(|(x, y)| near(self.at(x, y), colour))
    }

    /// The share of the picture's pixels that are `colour`, 0 to 1.
    pub fn share_of(&self, colour: [u8; 3]) -> f64 {
        let pixels = self.rgb.chunks_exact(3);
        let total = pixels.len().max(1);
        let matching = pixels.filter(|p| near([p[0], p[1], p[2]], colour)).count();
        matching as f64 / total as f64
    }

    pub fn save(&self, path: &Path) {
        let picture = image::RgbImage::from_raw(self.width, self.height, self.rgb.clone())
            .expect("a whole picture");
        picture.save(path).expect("save the picture");
    }
}

fn near(pixel: [u8; 3], colour: [u8; 3]) -> bool {
    pixel.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 6)
}

/// The user to run cage as (`None`: this one), or `None` after a loud skip line (a failure
/// under `CI=true`) when a tool or the user is missing.
pub fn ready() -> Option<Option<String>> {
    let missing: Vec<&str> = TOOLS.into_iter().filter(|tool| !on_path(tool)).collect();
    let as_root = current_uid() == 0;
    let why = if !missing.is_empty() {
        format!(
            "missing {missing:?} (apt-get install cage grim xwayland xvfb chromium xdotool x11-utils)"
        )
    } else if as_root && !user_exists(SCREEN_USER) {
        format!(
            "cage refuses root and there is no user {SCREEN_USER} (useradd --system {SCREEN_USER})"
        )
    } else {
        return Some(as_root.then(|| SCREEN_USER.to_owned()));
    };
    mpp_testkit::skip::skipped("the display under cage", &why);
    None
}

/// This process's user id, from /proc (no libc call needed).
fn current_uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map_or(u32::MAX, |meta| meta.uid())
}

fn on_path(tool: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|folder| folder.join(tool).is_file()))
}

fn user_exists(user: &str) -> bool {
    Command::new("id")
        .arg(user)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success())
}

fn id(user: &str, which: &str) -> u32 {
    let output = Command::new("id").args([which, user]).output().expect("id");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a numeric id")
}

/// An Xvfb, cage and the display in it, stopped (their process groups) when dropped.
pub struct Tv {
    folder: tempfile::TempDir,
    /// The X display cage's output window is on, `:N`.
    display: String,
    /// `setpriv` arguments that run a command as the screen's user; empty: as we are.
    as_user: Vec<String>,
    processes: Vec<Child>,
}

impl Tv {
    /// Writes the configuration for `url` and starts Xvfb, then cage running `mpp-display`.
    pub fn start(user: Option<&str>, display_binary: &str, url: &str) -> Self {
        let folder = tempfile::Builder::new()
            .prefix("mpp-display-tv-")
            .tempdir()
            .expect("temp dir");
        let mut tv = Self {
            as_user: Vec::new(),
            folder,
            display: String::new(),
            processes: Vec::new(),
        };
        tv.prepare(user, url);
        let (xvfb, display) = tv.xvfb();
        tv.processes.push(xvfb);
        tv.display = display;
        let cage = tv.cage(&tv.display, display_binary);
        tv.processes.push(cage);
        tv
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// The folders and files, owned by the screen's user.
    fn prepare(&mut self, user: Option<&str>, url: &str) {
        for folder in ["run", "state"] {
            std::fs::create_dir(self.path(folder)).expect("folder");
            std::fs::set_permissions(self.path(folder), std::fs::Permissions::from_mode(0o700))
                .expect("mode");
        }
        let wrapper = self.path("chromium-with-devtools");
        let script = "#!/bin/sh\n# The test reads the page over DevTools; the product never does.\n\
                      exec chromium --remote-debugging-port=0 \"$@\"\n";
        std::fs::write(&wrapper, script).expect("wrapper");
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("mode");
        let config = format!(
            "url = {url:?}\nchromium = {:?}\n",
            wrapper.display().to_string()
        );
        std::fs::write(self.path("display.toml"), config).expect("display.toml");
        std::fs::set_permissions(self.folder.path(), std::fs::Permissions::from_mode(0o755))
            .expect("folder mode");
        let Some(user) = user else { return };
        let (uid, gid) = (id(user, "-u"), id(user, "-g"));
        for name in ["", "run", "state", "display.toml"] {
            std::os::unix::fs::chown(self.path(name), Some(uid), Some(gid)).expect("chown");
        }
        self.as_user = vec![
            format!("--reuid={uid}"),
            format!("--regid={gid}"),
            "--init-groups".into(),
            "--".into(),
        ];
    }

    fn log(&self, name: &str) -> Stdio {
        std::fs::File::create(self.path(name))
            .expect("log file")
            .into()
    }

    /// Xvfb big enough for cage's output window, and its display name (`:N`).
    fn xvfb(&self) -> (Child, String) {
        let mut xvfb = Command::new("Xvfb")
            .args([
                "-displayfd",
                "1",
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "1920x1080x24",
            ])
            .stdout(Stdio::piped())
            .stderr(self.log("xvfb.log"))
            .process_group(0)
            .spawn()
            .expect("start Xvfb");
        let mut number = String::new();
        let stdout = xvfb.stdout.take().expect("Xvfb's stdout");
        BufReader::new(stdout)
            .read_line(&mut number)
            .expect("Xvfb's display number");
        (xvfb, format!(":{}", number.trim()))
    }

    /// A command run as the screen's user, in this folder, with its own runtime folder.
    fn command(&self, program: &str) -> Command {
        let mut command = if self.as_user.is_empty() {
            Command::new(program)
        } else {
            let mut command = Command::new("setpriv");
            command.args(&self.as_user).arg(program);
            command
        };
        command
            .env("XDG_RUNTIME_DIR", self.path("run"))
            .env("HOME", self.folder.path())
            .env_remove("WAYLAND_DISPLAY")
            .env_remove("DISPLAY")
            .current_dir(self.folder.path());
        command
    }

    /// cage on X11 (see the module's documentation) running the display as the unit does.
    fn cage(&self, display: &str, display_binary: &str) -> Child {
        self.command("cage")
            .env("WLR_BACKENDS", "x11")
            .env("WLR_RENDERER", "pixman")
            .env("DISPLAY", display)
            .env("STATE_DIRECTORY", self.path("state"))
            .env("MPP_DISPLAY_LOG", "info")
            .args(["-d", "--", display_binary, "--config"])
            .arg(self.path("display.toml"))
            .stdout(self.log("display.log"))
            .stderr(self.log("cage.log"))
            .process_group(0)
            .spawn()
            .expect("start cage")
    }

    /// Gives cage's output window (the X screen's only window) a new size, as no window
    /// manager would; `false` while the window is not there yet.
    pub fn resize_output(&self, (width, height): (u32, u32)) -> bool {
        let Ok(tree) = Command::new("xwininfo")
            .args(["-root", "-children", "-display", &self.display])
            .output()
        else {
            return false;
        };
        let tree = String::from_utf8_lossy(&tree.stdout);
        let Some(window) = tree
            .lines()
            .map(str::trim)
            .find(|line| line.starts_with("0x"))
            .and_then(|line| line.split_whitespace().next())
        else {
            return false;
        };
        let (width, height) = (width.to_string(), height.to_string());
        Command::new("xdotool")
            .env("DISPLAY", &self.display)
            .args([
                "windowmove",
                window,
                "0",
                "0",
                "windowsize",
                window,
                &width,
                &height,
            ])
            .status()
            .is_ok_and(|status| status.success())
    }

    /// The browser's profile, as mpp-display made it.
    pub fn profile(&self) -> PathBuf {
        self.path("state/chromium")
    }

    /// What cage's output shows now, through grim.
    pub fn grim(&self) -> Option<Picture> {
        if !self.path("run/wayland-0").exists() {
            return None;
        }
        let output = self
            .command("grim")
            .env("WAYLAND_DISPLAY", "wayland-0")
            .arg("-")
            .stderr(Stdio::null())
            .output()
            .ok()?;
        let picture = image::load_from_memory(&output.stdout).ok()?.to_rgb8();
        Some(Picture {
            width: picture.width(),
            height: picture.height(),
            rgb: picture.into_raw(),
        })
    }

    /// Takes pictures until one is `good` or `time` has passed: the good one, or the last.
    pub fn picture_until(
        &self,
        time: Duration,
        good: impl Fn(&Picture) -> bool,
    ) -> Option<Picture> {
        let began = Instant::now();
        let mut last = None;
        while began.elapsed() < time {
            if let Some(picture) = self.grim() {
                if good(&picture) {
                    return Some(picture);
                }
                last = Some(picture);
            }
            std::thread::sleep(Duration::from_millis(250));
        }
        last
    }

    /// The ends of the logs, for a failure's message.
    pub fn logs(&self) -> String {
        ["display.log", "cage.log", "xvfb.log"]
            .iter()
            .filter_map(|name| {
                let text = std::fs::read_to_string(self.path(name)).ok()?;
                let lines: Vec<&str> = text.lines().filter(|line| !line.contains("dbus")).collect();
                let tail = lines[lines.len().saturating_sub(20)..].join("\n");
                Some(format!("--- {name}\n{tail}"))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

impl Drop for Tv {
    /// cage and everything it started (the browser and its helpers) are in cage's process
    /// group; Xvfb in its own. TERM first, KILL what is left.
    fn drop(&mut self) {
        for child in self.processes.iter_mut().rev() {
            let group = format!("-{}", child.id());
            let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
            let began = Instant::now();
            while matches!(child.try_wait(), Ok(None)) && began.elapsed() < Duration::from_secs(5) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = Command::new("kill")
                .args(["-KILL", "--", &group])
                .stderr(Stdio::null())
                .status();
            let _ = child.wait();
        }
        let _ = std::io::stderr().flush();
    }
}
