//! Logging for the screen tests. A process has one global tracing subscriber and the tests of
//! this binary share the process, so the first test that needs logs installs it and the others
//! find it there: the maintenance menu's ring of recent lines (as the program sets it up) and,
//! while a [`Capture`] is open, every line at debug level and above, from any thread.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once, Weak};

use tracing::Level;
use tracing_subscriber::Layer;
use tracing_subscriber::filter::{LevelFilter, dynamic_filter_fn};
use tracing_subscriber::layer::SubscriberExt;

/// The open captures' buffers, and how many are open (no line is formatted while none is).
static CAPTURES: Mutex<Vec<Weak<Mutex<Vec<u8>>>>> = Mutex::new(Vec::new());
static OPEN: AtomicUsize = AtomicUsize::new(0);

/// Installs the subscriber, once for the whole binary.
pub fn install() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        let captured = tracing_subscriber::fmt::layer()
            .with_ansi(false)
            .with_writer(|| Broadcast)
            .with_filter(
                dynamic_filter_fn(|metadata, _| {
                    *metadata.level() <= Level::DEBUG && OPEN.load(Ordering::Acquire) > 0
                })
                .with_max_level_hint(LevelFilter::DEBUG),
            );
        let subscriber = tracing_subscriber::registry()
            .with(mpp_common::logging::recent_layer())
            .with(captured);
        tracing::subscriber::set_global_default(subscriber)
            .expect("nothing else sets a global subscriber in this binary");
    });
}

/// What the whole process logs (at debug level and above) from now until dropped: this test's
/// lines and those of the tests running beside it.
pub struct Capture(Arc<Mutex<Vec<u8>>>);

/// Starts a [`Capture`].
pub fn capture() -> Capture {
    install();
    let buffer = Arc::new(Mutex::new(Vec::new()));
    CAPTURES
        .lock()
        .expect("captures")
        .push(Arc::downgrade(&buffer));
    OPEN.fetch_add(1, Ordering::AcqRel);
    Capture(buffer)
}

impl Capture {
    /// Everything captured so far.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().expect("log")).into_owned()
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        OPEN.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Writes each line into every open capture.
struct Broadcast;

impl Write for Broadcast {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let mut captures = CAPTURES.lock().expect("captures");
        captures.retain(|buffer| match buffer.upgrade() {
            Some(buffer) => {
                buffer.lock().expect("log").extend_from_slice(bytes);
                true
            }
            None => false,
        });
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
