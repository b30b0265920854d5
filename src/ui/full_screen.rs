//! Full screen that fills the output whatever `window_width` says. Asking for full screen is
//! not enough on a kiosk: with no window manager (bare X11) nobody acts on the request and the
//! window keeps its size. So the window sizes itself to the output it is on when it opens, and
//! measures again every few seconds for compositors that report the output (a panel turned, a
//! monitor plugged in late).
//!
//! Measured on this machine: cage sizes the window itself (it maximises it to the output when
//! it maps and again when the output changes) and never tells the app which output it is on, so
//! there the measuring finds nothing and iced follows cage's new size on its own. Under bare
//! X11, winit refreshes what it knows of the monitor only from a window manager's events, so
//! there the output is asked of the X server itself (`x11_output`), which sees `xrandr`.
//!
//! Under cage the kiosk draws its frame of the new size within a frame of cage's resize
//! (iced asks for a redraw on every resize; winit on every configure): a stale first frame
//! that `grim` shows on cage 0.1.4's headless backend is cage's picture, not the kiosk's
//! (measured and explained in `tests/screen/fullscreen.rs`).

use std::time::Duration;

use iced::{Point, Size, Subscription, Task, window};

/// How often the output is measured again after the first time.
const RECHECK: Duration = Duration::from_secs(5);

/// What full screen knows of its window.
#[derive(Clone, Debug, Default)]
pub struct FullScreen {
    enabled: bool,
    window: Option<window::Id>,
    /// The output's size the window was last fitted to.
    fitted: Option<Size>,
}

#[derive(Clone, Debug)]
pub enum Message {
    /// The window is open (or was found open).
    Found(Option<window::Id>),
    /// Time to measure the output again.
    Recheck,
    /// The output under the window measured this; `None` while it is not known yet.
    Measured(window::Id, Option<Size>),
    /// The window has a new size (the compositor fitted it, or the output changed).
    Resized(window::Id, Size),
}

impl FullScreen {
    /// Full screen when `enabled`; otherwise the window keeps the size it was given.
    pub fn new(enabled: bool) -> (Self, Task<Message>) {
        let full_screen = Self {
            enabled,
            ..Self::default()
        };
        let task = if enabled {
            window::oldest().map(Message::Found)
        } else {
            Task::none()
        };
        (full_screen, task)
    }

    /// Whether the window is kept filling the output.
    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// The technician left full screen from the menu: stop fitting the window to the output.
    pub fn leave(&mut self) {
        self.enabled = false;
        self.fitted = None;
    }

    pub fn update(&mut self, message: Message) -> Task<Message> {
        if !self.enabled {
            return Task::none();
        }
        match message {
            Message::Found(Some(id)) => {
                self.window = Some(id);
                measure(id)
            }
            Message::Found(None) => Task::none(),
            Message::Recheck => match self.window {
                Some(id) => measure(id),
                None => window::oldest().map(Message::Found),
            },
            Message::Measured(id, Some(size)) if self.fitted != Some(size) => {
                tracing::info!(
                    width = size.width,
                    height = size.height,
                    "filling the output"
                );
                self.fitted = Some(size);
                // Without a window manager the window stays where it was created: the corner
                // of the output is where a full-screen window belongs.
                Task::batch([window::move_to(id, Point::ORIGIN), window::resize(id, size)])
            }
            Message::Measured(..) => Task::none(),
            Message::Resized(_, size) => {
                tracing::info!(
                    width = size.width,
                    height = size.height,
                    "the window was resized"
                );
                Task::none()
            }
        }
    }

    pub fn subscription(&self) -> Subscription<Message> {
        if !self.enabled {
            return Subscription::none();
        }
        Subscription::batch([
            window::open_events().map(|id| Message::Found(Some(id))),
            window::resize_events().map(|(id, size)| Message::Resized(id, size)),
            iced::time::every(RECHECK).map(|_| Message::Recheck),
        ])
    }
}

/// The output's size: from the X server itself under X11 (winit's stays the size at start
/// there), from the compositor through iced otherwise.
fn measure(id: window::Id) -> Task<Message> {
    if super::x11_output::in_use() {
        Task::future(async move { Message::Measured(id, super::x11_output::size_now()) })
    } else {
        window::monitor_size(id).map(move |size| Message::Measured(id, size))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn runs_something(task: Task<Message>) -> bool {
        iced_test::runtime::task::into_stream(task).is_some()
    }

    #[test]
    fn a_window_is_fitted_once_to_each_size_its_output_has() {
        let (mut full_screen, find) = FullScreen::new(true);
        assert!(runs_something(find), "looks for its window at start");
        let id = window::Id::unique();
        assert!(runs_something(full_screen.update(Message::Found(Some(id)))));
        let output = Size::new(1366.0, 768.0);
        assert!(runs_something(
            full_screen.update(Message::Measured(id, Some(output)))
        ));
        assert!(
            !runs_something(full_screen.update(Message::Measured(id, Some(output)))),
            "the same output again changes nothing"
        );
        assert!(!runs_something(
            full_screen.update(Message::Measured(id, None))
        ));
        let turned = Size::new(768.0, 1366.0);
        assert!(runs_something(
            full_screen.update(Message::Measured(id, Some(turned)))
        ));
    }

    #[test]
    fn a_window_that_is_not_full_screen_keeps_its_size() {
        let (mut windowed, find) = FullScreen::new(false);
        assert!(!runs_something(find));
        let id = window::Id::unique();
        let output = Some(Size::new(1920.0, 1080.0));
        assert!(!runs_something(
            windowed.update(Message::Measured(id, output))
        ));
    }
}
