//! The size of the X11 output, asked of the X server itself. Under X11 with no window manager
//! winit learns of a changed screen (`xrandr`, a monitor plugged in late, a panel turned) only
//! from a window manager's events, so what iced reports stays the size at start. A fresh
//! connection each time sees the screen as it is now.

use iced::Size;
use x11rb::connection::Connection;
use x11rb::protocol::randr::ConnectionExt as _;

/// Whether the app speaks X11: `DISPLAY` set and no Wayland compositor (winit prefers
/// Wayland when both are there, as under cage, whose Xwayland the app does not use).
pub fn in_use() -> bool {
    std::env::var_os("WAYLAND_DISPLAY").is_none_or(|value| value.is_empty())
        && std::env::var_os("DISPLAY").is_some_and(|value| !value.is_empty())
}

/// The primary monitor's size (else the first active one's, else the whole screen's);
/// `None` when the X server cannot be reached.
pub fn size_now() -> Option<Size> {
    let (connection, screen) = x11rb::connect(None)
        .inspect_err(|error| tracing::debug!(%error, "the X server cannot be reached"))
        .ok()?;
    let root = connection.setup().roots.get(screen)?;
    let whole = Size::new(
        f32::from(root.width_in_pixels),
        f32::from(root.height_in_pixels),
    );
    let monitors = connection
        .randr_get_monitors(root.root, true)
        .ok()
        .and_then(|cookie| cookie.reply().ok())
        .map(|reply| reply.monitors)
        .unwrap_or_default();
    let monitor = monitors
        .iter()
        .find(|monitor| monitor.primary)
        .or_else(|| monitors.first());
    Some(monitor.map_or(whole, |monitor| {
        Size::new(f32::from(monitor.width), f32::from(monitor.height))
    }))
}
