//! cage on its X11 backend inside Xvfb: cage's output is an X window, and what cage presents
//! on it is read back from Xvfb's framebuffer, the picture a panel would show. (grim is not
//! that picture on cage 0.1.4: it has cage draw a fresh one, which can be stale; see
//! `tests/screen/fullscreen.rs`.) Also the packaged unit's command line, a machine kept busy,
//! and X display :0 held by another server, as on a technician's machine.

use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{MONDAY_MORNING, Picture, Running, Sandbox};

/// The packaged kiosk's systemd unit.
const UNIT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/packaging/systemd/mpp-kiosk.service"
);

/// How the packaged unit starts the kiosk: cage's options, the kiosk's arguments after its
/// program, and the unit's environment.
struct UnitCommand {
    cage_options: Vec<String>,
    kiosk_args: Vec<String>,
    environment: Vec<(String, String)>,
}

impl UnitCommand {
    fn packaged() -> Self {
        let unit = std::fs::read_to_string(UNIT).expect("the packaged kiosk unit");
        let values = |key: &'static str| {
            unit.lines()
                .filter_map(move |line| line.strip_prefix(key))
                .map(str::trim)
        };
        let exec = values("ExecStart=").next().expect("the unit's ExecStart");
        let words: Vec<&str> = exec.split_whitespace().collect();
        let split = words.iter().position(|word| *word == "--");
        let (Some(cage), Some(split)) = (words.first(), split) else {
            panic!("the unit starts `cage [options] -- kiosk`: {exec}");
        };
        assert!(cage.ends_with("/cage"), "the unit starts cage: {exec}");
        assert!(
            exec.contains(" --config "),
            "the unit names the kiosk's configuration"
        );
        let owned = |words: &[&str]| words.iter().map(|word| word.to_string()).collect();
        Self {
            cage_options: owned(&words[1..split]),
            kiosk_args: owned(words.get(split + 2..).unwrap_or_default()),
            environment: values("Environment=")
                .filter_map(|pair| pair.split_once('='))
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect(),
        }
    }
}

impl Picture {
    /// The top-left `width` x `height` of the picture (all of it when smaller).
    fn top_left(self, (width, height): (u32, u32)) -> Picture {
        let (width, height) = (width.min(self.width), height.min(self.height));
        let rgb = (0..height)
            .flat_map(|y| {
                let row = (y * self.width * 3) as usize;
                self.rgb[row..row + (width * 3) as usize].iter().copied()
            })
            .collect();
        Picture { width, height, rgb }
    }
}

impl Sandbox {
    /// cage with its X11 backend, its output a window in an Xvfb of `screen` size, running the
    /// kiosk: an output that can change size, as a panel turned or replaced does.
    pub fn start_cage_on_x11(&self, screen: (u32, u32), binary: &str) -> Running {
        self.cage_on_x11(screen, &["-d".to_owned()], &[], self.kiosk_args(binary))
    }

    /// cage and `binary` started with the packaged unit's command line and environment (the
    /// kiosk's configuration and `--now` this sandbox's), cage's output the whole of an Xvfb
    /// screen of [`UNIT_OUTPUT`] size.
    pub fn start_cage_as_unit(&self, binary: &str) -> Running {
        let unit = UnitCommand::packaged();
        let mut kiosk = vec![binary.to_owned()];
        let mut args = unit.kiosk_args.iter();
        while let Some(arg) = args.next() {
            kiosk.push(arg.clone());
            if arg == "--config" {
                args.next();
                kiosk.push(self.config().display().to_string());
            }
        }
        kiosk.extend(["--now".to_owned(), MONDAY_MORNING.to_owned()]);
        self.cage_on_x11(UNIT_OUTPUT, &unit.cage_options, &unit.environment, kiosk)
    }

    /// What cage presents on its output window, `size` at the X screen's corner.
    pub fn presented(&self, size: (u32, u32)) -> Option<Picture> {
        self.framebuffer().map(|picture| picture.top_left(size))
    }

    fn cage_on_x11(
        &self,
        screen: (u32, u32),
        options: &[String],
        environment: &[(String, String)],
        kiosk: Vec<String>,
    ) -> Running {
        let xvfb = self.xvfb(screen);
        // On a loaded machine cage sometimes cannot open its X connection and exits at once
        // ("Failed to open xcb connection"): that is the test bed, not the kiosk, so it is
        // started again (twice at most) and the reason kept in the log.
        for attempt in 1..=3 {
            let mut cage = self.command("cage");
            cage.envs(environment.iter().map(|(key, value)| (key, value)))
                .env("WLR_BACKENDS", "x11")
                .env("WLR_RENDERER", "pixman")
                .env("DISPLAY", self.display.borrow().as_str())
                .args(options)
                .arg("--")
                .args(&kiosk)
                .stdout(self.log("kiosk.log"))
                .stderr(self.log("cage.log"));
            let mut cage = cage.spawn().expect("start cage");
            let began = Instant::now();
            while began.elapsed() < Duration::from_secs(30) {
                if self.path("run/wayland-0").exists() {
                    return Running(vec![xvfb, cage]);
                }
                if let Ok(Some(status)) = cage.try_wait() {
                    let said = std::fs::read_to_string(self.path("cage.log")).unwrap_or_default();
                    eprintln!(
                        "cage on X11 exited ({status}) before its output came up, attempt \
                         {attempt}:\n{said}"
                    );
                    let _ = std::fs::remove_file(self.path("run/wayland-0.lock"));
                    break;
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            if matches!(cage.try_wait(), Ok(None)) {
                return Running(vec![xvfb, cage]);
            }
        }
        drop(Running(vec![xvfb]));
        panic!("cage on X11 would not start three times\n{}", self.logs());
    }

    /// Gives cage's output window (the X screen's only window) a new size, as no window
    /// manager would; `false` while the window is not there yet.
    pub fn resize_output(&self, (width, height): (u32, u32)) -> bool {
        let display = self.display.borrow().clone();
        let Ok(tree) = Command::new("xwininfo")
            .args(["-root", "-children", "-display", &display])
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
            .env("DISPLAY", &display)
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
}

/// The output of cage started as its unit starts it: the X11 backend opens its output window
/// this size at the corner, so an Xvfb screen this size is all output.
pub const UNIT_OUTPUT: (u32, u32) = (1024, 768);

/// Every core kept busy while it lives, as builds and other servers kept the technician's
/// machine.
pub struct Busy {
    stop: Arc<AtomicBool>,
    spinners: Vec<JoinHandle<()>>,
}

impl Busy {
    pub fn every_core() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let spinners = (0..cores)
            .map(|_| {
                let stop = Arc::clone(&stop);
                std::thread::spawn(move || {
                    let mut turns = 0_u64;
                    while !stop.load(Ordering::Relaxed) {
                        turns = std::hint::black_box(turns.wrapping_add(1));
                    }
                })
            })
            .collect();
        Self { stop, spinners }
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        for spinner in self.spinners.drain(..) {
            let _ = spinner.join();
        }
    }
}

/// Another X server on display :0, as on the technician's machine (cage's Xwayland then says
/// so and takes another display): one started here, or whichever already holds :0.
pub fn hold_display_zero() -> Running {
    let mut server = Command::new("Xvfb")
        .args([":0", "-nolisten", "tcp", "-screen", "0", "640x480x24"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start Xvfb :0");
    let began = Instant::now();
    while began.elapsed() < Duration::from_secs(10)
        && !std::path::Path::new("/tmp/.X11-unix/X0").exists()
        && matches!(server.try_wait(), Ok(None))
    {
        std::thread::sleep(Duration::from_millis(50));
    }
    Running(vec![server])
}
