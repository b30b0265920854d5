//! The printer driver: one thread owns the transport, watches the printer while idle, and
//! prints jobs one at a time with a status check before and after each. The rest of the kiosk
//! talks to it through a [`PrinterHandle`] and never blocks on serial IO itself.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use tokio::sync::watch;

use super::job::Job;
use super::transport::{Delivered, Transport};
use mpp_core::printer_state::PrinterState;

/// How often an idle, healthy printer is asked how it is.
const IDLE_POLL: Duration = Duration::from_secs(1);
/// Retry delays while the printer is missing: quick at first, then every two seconds.
const RETRY_FIRST: Duration = Duration::from_millis(250);
const RETRY_CAP: Duration = Duration::from_secs(2);
/// Tickets remembered as printed, to refuse an accidental second print of the same one.
const REMEMBERED: usize = 1000;

/// What happened to a print request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PrintOutcome {
    /// On paper (or saved, for the virtual and file printers).
    Printed {
        state: PrinterState,
        saved: Option<PathBuf>,
    },
    /// Nothing was sent: the printer could not print.
    NotPrinted { state: PrinterState },
    /// Sent, at least in part, but the printer failed during or after the job.
    Failed { state: PrinterState, reason: String },
    /// This ticket was already printed and the request was not a reprint.
    AlreadyPrinted,
}

impl PrintOutcome {
    pub fn is_printed(&self) -> bool {
        matches!(self, PrintOutcome::Printed { .. })
    }
}

enum Request {
    Print {
        job: Box<Job>,
        reprint: bool,
        reply: mpsc::Sender<PrintOutcome>,
    },
    Stop,
}

/// The kiosk's way to the printer.
pub struct PrinterHandle {
    requests: mpsc::Sender<Request>,
    state: watch::Receiver<PrinterState>,
    thread: Option<JoinHandle<()>>,
    description: String,
}

impl PrinterHandle {
    /// Starts the driver thread; the first status is asked at once.
    pub fn start(transport: Box<dyn Transport>) -> Self {
        let description = transport.describe();
        let (requests, inbox) = mpsc::channel();
        let (publish, state) = watch::channel(PrinterState::Starting);
        let thread = std::thread::Builder::new()
            .name("printer".into())
            .spawn(move || Driver::new(transport, publish).run(inbox))
            .expect("the printer thread starts");
        Self {
            requests,
            state,
            thread: Some(thread),
            description,
        }
    }

    pub fn describe(&self) -> &str {
        &self.description
    }

    /// The latest known state.
    pub fn state(&self) -> PrinterState {
        *self.state.borrow()
    }

    /// A receiver that is told of every state change (for the screen).
    pub fn watch(&self) -> watch::Receiver<PrinterState> {
        self.state.clone()
    }

    /// Waits until the driver has asked the printer at least once, at most `timeout`.
    pub fn wait_first_status(&self, timeout: Duration) -> PrinterState {
        let deadline = std::time::Instant::now() + timeout;
        while self.state() == PrinterState::Starting && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        self.state()
    }

    /// Queues a job; the outcome arrives on the returned channel.
    pub fn print(&self, job: Job, reprint: bool) -> mpsc::Receiver<PrintOutcome> {
        let (reply, outcome) = mpsc::channel();
        let request = Request::Print {
            job: Box::new(job),
            reprint,
            reply,
        };
        if let Err(mpsc::SendError(Request::Print { reply, .. })) = self.requests.send(request) {
            let _ = reply.send(PrintOutcome::NotPrinted {
                state: PrinterState::Disconnected,
            });
        }
        outcome
    }

    /// Prints and waits for the outcome (for the command line and tests).
    pub fn print_and_wait(&self, job: Job, reprint: bool) -> PrintOutcome {
        self.print(job, reprint)
            .recv()
            .unwrap_or(PrintOutcome::NotPrinted {
                state: PrinterState::Disconnected,
            })
    }
}

impl Drop for PrinterHandle {
    fn drop(&mut self) {
        let _ = self.requests.send(Request::Stop);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

struct Driver {
    transport: Box<dyn Transport>,
    publish: watch::Sender<PrinterState>,
    printed: VecDeque<String>,
    retry: Duration,
}

impl Driver {
    fn new(transport: Box<dyn Transport>, publish: watch::Sender<PrinterState>) -> Self {
        Self {
            transport,
            publish,
            printed: VecDeque::new(),
            retry: RETRY_FIRST,
        }
    }

    fn run(mut self, inbox: mpsc::Receiver<Request>) {
        self.refresh();
        loop {
            match inbox.recv_timeout(self.next_poll()) {
                Ok(Request::Print {
                    job,
                    reprint,
                    reply,
                }) => {
                    let outcome = self.print(&job, reprint);
                    tracing::info!(job = %job.name, ?outcome, "print job finished");
                    let _ = reply.send(outcome);
                }
                Ok(Request::Stop) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    self.refresh();
                }
            }
        }
    }

    /// Polls often while healthy; backs off while the printer is missing.
    fn next_poll(&mut self) -> Duration {
        let state = *self.publish.borrow();
        if matches!(
            state,
            PrinterState::Disconnected | PrinterState::NotResponding
        ) {
            let wait = self.retry;
            self.retry = (self.retry * 2).min(RETRY_CAP);
            wait
        } else {
            self.retry = RETRY_FIRST;
            IDLE_POLL
        }
    }

    fn refresh(&mut self) -> PrinterState {
        let state = self.transport.status();
        self.publish.send_if_modified(|current| {
            if *current != state {
                tracing::info!(
                    from = current.as_str(),
                    to = state.as_str(),
                    "printer state changed"
                );
                *current = state;
                true
            } else {
                false
            }
        });
        state
    }

    fn print(&mut self, job: &Job, reprint: bool) -> PrintOutcome {
        let ticket = job.ticket_id.as_deref();
        if !reprint && ticket.is_some_and(|id| self.printed.iter().any(|done| done == id)) {
            return PrintOutcome::AlreadyPrinted;
        }
        let before = self.refresh();
        if !before.can_print() {
            return PrintOutcome::NotPrinted { state: before };
        }
        let delivered = self.transport.send(job);
        let after = self.refresh();
        match delivered {
            Err(error) => PrintOutcome::Failed {
                state: after,
                reason: error.to_string(),
            },
            Ok(_) if !after.can_print() => PrintOutcome::Failed {
                state: after,
                reason: format!("the printer reported {} after the job", after.as_str()),
            },
            Ok(delivered) => {
                if let Some(id) = ticket {
                    self.remember(id);
                }
                let saved = match delivered {
                    Delivered::Saved(path) => Some(path),
                    Delivered::Sent => None,
                };
                PrintOutcome::Printed {
                    state: after,
                    saved,
                }
            }
        }
    }

    fn remember(&mut self, ticket: &str) {
        if self.printed.len() == REMEMBERED {
            self.printed.pop_front();
        }
        self.printed.push_back(ticket.to_owned());
    }
}
