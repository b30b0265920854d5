//! Running the real kiosk on a real display server for a test: a folder with its own
//! configuration (full screen, a 1000x600 window asked for), cage's headless backend or Xvfb
//! with no window manager (TigerVNC's Xvnc where the screen must change size), and pictures of
//! the whole output (grim; Xvfb's framebuffer file; the X server's own image).

use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub use super::tools::ready_for;
pub use cage_x11::{Busy, UNIT_OUTPUT, hold_display_zero};

mod cage_x11;

/// A Monday morning in Jakarta: services are open.
const MONDAY_MORNING: &str = "2026-11-23T02:30:57Z";

/// A picture of the whole output, as RGB.
pub struct Picture {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Picture {
    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        let at = ((y * self.width + x) * 3) as usize;
        [self.rgb[at], self.rgb[at + 1], self.rgb[at + 2]]
    }

    /// Every pixel of the outermost rows and columns, every fourth one.
    fn edge_pixels(&self) -> Vec<[u8; 3]> {
        let (right, bottom) = (self.width.saturating_sub(1), self.height.saturating_sub(1));
        let across = (0..self.width)
            .step_by(4)
            .flat_map(|x| [self.at(x, 0), self.at(x, bottom)]);
        let down = (0..self.height)
            .step_by(4)
            .flat_map(|y| [self.at(0, y), self.at(right, y)]);
        across.chain(down).collect()
    }

    /// The first row at or below `from` with a pixel of `colour`.
    pub fn first_row_with(&self, colour: [u8; 3], from: u32) -> Option<u32> {
        (from..self.height).find(|y| (0..self.width).any(|x| near(self.at(x, *y), colour)))
    }

    /// The runs of `colours` at least `least` pixels long along row `y`, as (first, last) x:
    /// along a row through a button's top padding, one run is one button.
    pub fn runs(&self, y: u32, colours: &[[u8; 3]], least: u32) -> Vec<(u32, u32)> {
        let mut runs = Vec::new();
        let mut start = None;
        for x in 0..=self.width {
            let inside = x < self.width && colours.iter().any(|c| near(self.at(x, y), *c));
            match (inside, start) {
                (true, None) => start = Some(x),
                (false, Some(first)) => {
                    if x - first >= least {
                        runs.push((first, x - 1));
                    }
                    start = None;
                }
                _ => {}
            }
        }
        runs
    }

    /// The smallest rectangle (x, y, right, bottom) holding every pixel of `colour`.
    pub fn bounds_of(&self, colour: [u8; 3]) -> Option<(u32, u32, u32, u32)> {
        let mut bounds: Option<(u32, u32, u32, u32)> = None;
        for y in 0..self.height {
            for x in 0..self.width {
                if near(self.at(x, y), colour) {
                    let (l, t, r, b) = bounds.unwrap_or((x, y, x, y));
                    bounds = Some((l.min(x), t.min(y), r.max(x), b.max(y)));
                }
            }
        }
        bounds
    }

    /// The distinct colours at the edges, for a message.
    pub fn edge_colours(&self) -> Vec<[u8; 3]> {
        let mut colours = self.edge_pixels();
        colours.sort_unstable();
        colours.dedup();
        colours.truncate(8);
        colours
    }

    fn save(&self, path: &Path) {
        let picture = image::RgbImage::from_raw(self.width, self.height, self.rgb.clone());
        if let Some(picture) = picture {
            let _ = picture.save(path);
        }
    }
}

fn near(pixel: [u8; 3], colour: [u8; 3]) -> bool {
    pixel.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 2)
}

/// Whether every pixel at the edges of the picture is `colour`: the kiosk's background reaches
/// all four sides, with no black border and nothing of the window cut away.
pub fn edges_filled(picture: &Picture, colour: [u8; 3]) -> bool {
    picture.width > 0
        && picture
            .edge_pixels()
            .iter()
            .all(|pixel| pixel.iter().zip(colour).all(|(a, b)| a.abs_diff(b) <= 6))
}

/// Takes pictures until one is `good` or `time` has passed; the good one, or the last one.
pub fn wait_for(
    time: Duration,
    mut take: impl FnMut() -> Option<Picture>,
    good: impl Fn(&Picture) -> bool,
) -> Option<Picture> {
    let began = Instant::now();
    let mut last = None;
    while began.elapsed() < time {
        if let Some(picture) = take() {
            if good(&picture) {
                return Some(picture);
            }
            last = Some(picture);
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    last
}

/// A folder for one kiosk run, owned by the user the display server runs as.
pub struct Sandbox {
    folder: tempfile::TempDir,
    /// `setpriv` arguments that run a command as the screen's user; empty: as we are.
    as_user: Vec<String>,
    framebuffer: std::cell::RefCell<Option<PathBuf>>,
    /// The X display Xvfb opened, `:N`.
    display: std::cell::RefCell<String>,
}

/// A process this test started, stopped (SIGTERM, then SIGKILL) when dropped.
pub struct Running(Vec<Child>);

impl Running {
    /// The process id of the last process started (the kiosk, or cage).
    pub fn last_pid(&self) -> u32 {
        self.0.last().map_or(0, Child::id)
    }

    /// Whether the last process started is still running.
    pub fn last_is_running(&mut self) -> bool {
        self.0
            .last_mut()
            .is_some_and(|child| matches!(child.try_wait(), Ok(None)))
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        for child in self.0.iter_mut().rev() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let began = Instant::now();
            while matches!(child.try_wait(), Ok(None)) && began.elapsed() < Duration::from_secs(3) {
                std::thread::sleep(Duration::from_millis(50));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Sandbox {
    /// A folder with the kiosk's configuration, handed to `user` when there is one.
    pub fn new(user: Option<&str>) -> Self {
        let folder = tempfile::tempdir().expect("temp dir");
        let runtime = folder.path().join("run");
        std::fs::create_dir(&runtime).expect("runtime dir");
        std::fs::set_permissions(&runtime, std::fs::Permissions::from_mode(0o700))
            .expect("runtime dir mode");
        write_config(folder.path());
        let as_user = match user {
            Some(user) => {
                let (uid, gid) = (id(user, "-u"), id(user, "-g"));
                for path in [folder.path(), &runtime, &folder.path().join("kiosk.toml")] {
                    std::os::unix::fs::chown(path, Some(uid), Some(gid)).expect("chown");
                }
                vec![
                    format!("--reuid={uid}"),
                    format!("--regid={gid}"),
                    "--init-groups".into(),
                    "--".into(),
                ]
            }
            None => Vec::new(),
        };
        Self {
            folder,
            as_user,
            framebuffer: std::cell::RefCell::new(None),
            display: std::cell::RefCell::new(String::new()),
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.folder.path().join(name)
    }

    /// A command run as the screen's user, with its own runtime folder.
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

    fn log(&self, name: &str) -> Stdio {
        std::fs::File::create(self.path(name))
            .expect("log file")
            .into()
    }

    fn kiosk_args<'a>(&'a self, binary: &'a str) -> Vec<String> {
        let config = self.path("kiosk.toml");
        vec![
            binary.to_owned(),
            "--config".into(),
            config.display().to_string(),
            "--now".into(),
            MONDAY_MORNING.into(),
        ]
    }

    /// cage on its headless 1280x720 output, turned a quarter `rotations` times, running the
    /// kiosk.
    pub fn start_cage(&self, rotations: usize, binary: &str) -> Running {
        let mut cage = self.command("cage");
        cage.env("WLR_BACKENDS", "headless")
            .env("WLR_LIBINPUT_NO_DEVICES", "1")
            .env("WLR_RENDERER", "pixman")
            .env("MPP_KIOSK_LOG", "info")
            .arg("-d");
        for _ in 0..rotations {
            cage.arg("-r");
        }
        cage.arg("--")
            .args(self.kiosk_args(binary))
            .stdout(self.log("kiosk.log"))
            .stderr(self.log("cage.log"));
        Running(vec![cage.spawn().expect("start cage")])
    }

    /// The kiosk straight on this sandbox's X display, with no window manager.
    fn spawn_on_x(&self, binary: &str) -> Child {
        let args = self.kiosk_args(binary);
        Command::new(&args[0])
            .args(&args[1..])
            .env("DISPLAY", self.display.borrow().as_str())
            .env_remove("WAYLAND_DISPLAY")
            .env("MPP_KIOSK_LOG", "info")
            .stdout(self.log("kiosk.log"))
            .stderr(self.log("kiosk.err"))
            .spawn()
            .expect("start the kiosk")
    }

    /// Xvfb at `size` with no window manager, and the kiosk on it.
    pub fn start_xvfb(&self, size: (u32, u32), binary: &str) -> Running {
        let xvfb = self.xvfb(size);
        let kiosk = self.spawn_on_x(binary);
        Running(vec![xvfb, kiosk])
    }

    /// The kiosk on TigerVNC's X server (an X server whose screen `xrandr` can resize, which
    /// Xvfb's cannot), with no window manager and no network listener.
    pub fn start_xvnc(&self, (width, height): (u32, u32), binary: &str) -> Running {
        let mut xvnc = Command::new("Xvnc")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-rfbport", "-1"])
            .args(["-SecurityTypes", "None", "-depth", "24", "-geometry"])
            .arg(format!("{width}x{height}"))
            .stdout(Stdio::piped())
            .stderr(self.log("xvfb.log"))
            .spawn()
            .expect("start Xvnc");
        self.note_display(&mut xvnc);
        let kiosk = self.spawn_on_x(binary);
        Running(vec![xvnc, kiosk])
    }

    /// Gives the X screen a new size with `xrandr -s`, as plugging in another panel would.
    pub fn xrandr_size(&self, (width, height): (u32, u32)) -> bool {
        Command::new("xrandr")
            .args(["-display", self.display.borrow().as_str(), "-s"])
            .arg(format!("{width}x{height}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success())
    }

    /// What the X screen shows now, read from the server (GetImage on the root window).
    pub fn x_screen(&self) -> Option<Picture> {
        use x11rb::connection::Connection;
        use x11rb::protocol::xproto::{ConnectionExt, ImageFormat};
        let (connection, screen) = x11rb::connect(Some(self.display.borrow().as_str())).ok()?;
        let root = connection.setup().roots.get(screen)?;
        let (width, height) = (root.width_in_pixels, root.height_in_pixels);
        let image = connection
            .get_image(ImageFormat::Z_PIXMAP, root.root, 0, 0, width, height, !0)
            .ok()?
            .reply()
            .ok()?;
        // Depth 24 comes as 32 bits a pixel, blue first.
        let rgb = image
            .data
            .chunks_exact(4)
            .flat_map(|pixel| [pixel[2], pixel[1], pixel[0]])
            .collect();
        Some(Picture {
            width: width.into(),
            height: height.into(),
            rgb,
        })
    }

    /// Reads the display number an X server started with `-displayfd 1` prints.
    fn note_display(&self, server: &mut Child) {
        let mut display = String::new();
        let stdout = server.stdout.take().expect("the X server's stdout");
        BufReader::new(stdout)
            .read_line(&mut display)
            .expect("the X server's display number");
        *self.display.borrow_mut() = format!(":{}", display.trim());
    }

    /// Xvfb at `size`, its framebuffer kept in the folder; its display is noted.
    fn xvfb(&self, (width, height): (u32, u32)) -> Child {
        let mut xvfb = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-br", "-screen", "0"])
            .arg(format!("{width}x{height}x24"))
            .arg("-fbdir")
            .arg(self.folder.path())
            .stdout(Stdio::piped())
            .stderr(self.log("xvfb.log"))
            .spawn()
            .expect("start Xvfb");
        self.note_display(&mut xvfb);
        *self.framebuffer.borrow_mut() = Some(self.path("Xvfb_screen0"));
        xvfb
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

    /// What Xvfb's screen shows now, from its framebuffer file.
    pub fn framebuffer(&self) -> Option<Picture> {
        let path = self.framebuffer.borrow().clone()?;
        read_xwd(&std::fs::read(path).ok()?)
    }

    /// The kiosk's configuration file.
    pub fn config(&self) -> PathBuf {
        self.path("kiosk.toml")
    }

    /// The kiosk's database.
    pub fn database(&self) -> PathBuf {
        self.path("kiosk.db")
    }

    /// What the kiosk started by [`Sandbox::start_xvfb`] logged on stderr so far.
    pub fn kiosk_log(&self) -> String {
        std::fs::read_to_string(self.path("kiosk.err")).unwrap_or_default()
    }

    /// A click (a tap, for the kiosk) at `(x, y)` on the X display, `count` times `delay` ms
    /// apart.
    pub fn click(&self, (x, y): (u32, u32), count: u32, delay: u32) {
        let status = Command::new("xdotool")
            .env("DISPLAY", self.display.borrow().as_str())
            .args(["mousemove", &x.to_string(), &y.to_string()])
            .args([
                "click",
                "--repeat",
                &count.to_string(),
                "--delay",
                &delay.to_string(),
                "1",
            ])
            .status()
            .expect("xdotool");
        assert!(status.success(), "xdotool click at {x},{y}");
    }

    /// Keeps a picture after the test, for a person to look at.
    pub fn keep(&self, picture: &Picture, name: &str) -> PathBuf {
        let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("{name}.png"));
        picture.save(&path);
        path
    }

    /// The ends of the logs, for a failure's message.
    pub fn logs(&self) -> String {
        ["cage.log", "xvfb.log", "kiosk.log", "kiosk.err"]
            .iter()
            .filter_map(|name| {
                let text = std::fs::read_to_string(self.path(name)).ok()?;
                let tail: Vec<&str> = text.lines().rev().take(15).collect();
                let tail: Vec<&str> = tail.into_iter().rev().collect();
                Some(format!("--- {name}\n{}", tail.join("\n")))
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn id(user: &str, which: &str) -> u32 {
    let output = Command::new("id").args([which, user]).output().expect("id");
    String::from_utf8_lossy(&output.stdout)
        .trim()
        .parse()
        .expect("a numeric id")
}

/// The demo configuration, full screen with a deliberately small window, its files here.
fn write_config(folder: &Path) {
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/kiosk.toml"))
        .expect("kiosk.toml");
    let lines: Vec<String> = demo
        .lines()
        .map(|line| match line.split(" = ").next().unwrap_or_default() {
            "database" => format!("database = {:?}", folder.join("kiosk.db")),
            "output_dir" => format!("output_dir = {:?}", folder.join("prints")),
            "fullscreen" => "fullscreen = true".into(),
            "window_width" => "window_width = 1000".into(),
            "window_height" => "window_height = 600".into(),
            _ => line.to_owned(),
        })
        .collect();
    std::fs::write(folder.join("kiosk.toml"), lines.join("\n")).expect("write kiosk.toml");
}

/// An XWD picture (what Xvfb's `-fbdir` keeps up to date) as RGB.
fn read_xwd(bytes: &[u8]) -> Option<Picture> {
    let field = |index: usize| -> Option<u32> {
        let at = index * 4;
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let (header, width, height) = (field(0)? as usize, field(4)?, field(5)?);
    let (little_endian, bits_per_pixel, bytes_per_line) = (field(7)? == 0, field(11)?, field(12)?);
    let (red, green, blue, colours) = (field(14)?, field(15)?, field(16)?, field(19)? as usize);
    if bits_per_pixel != 32 {
        return None;
    }
    let pixels = bytes.get(header + colours * 12..)?;
    let channel = |pixel: u32, mask: u32| ((pixel & mask) >> mask.trailing_zeros()) as u8;
    let mut rgb = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        for x in 0..width {
            let at = (y * bytes_per_line + x * 4) as usize;
            let raw: [u8; 4] = pixels.get(at..at + 4)?.try_into().ok()?;
            let pixel = if little_endian {
                u32::from_le_bytes(raw)
            } else {
                u32::from_be_bytes(raw)
            };
            rgb.extend([
                channel(pixel, red),
                channel(pixel, green),
                channel(pixel, blue),
            ]);
        }
    }
    Some(Picture { width, height, rgb })
}
