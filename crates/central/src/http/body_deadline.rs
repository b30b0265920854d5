//! A whole request body must arrive within `body_timeout` of its head, and at a minimum pace:
//! after a grace of [`PACE_GRACE`], at least [`SLOWEST_PACE`] bytes for every second since.
//! A client that trickles a body a byte at a time is cut off within seconds (the pace), and
//! one that keeps a slow but steady pace at the deadline (the whole body). The handler reading
//! it gets an error that [`timed_out`] recognises, answered 408.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use http_body::{Frame, SizeHint};
use tokio::time::{Instant, Sleep};

/// How long a body may take before its pace counts: a phone on a poor link starts slowly.
pub const PACE_GRACE: Duration = Duration::from_secs(2);
/// The slowest pace a body may keep after its grace, in bytes a second: any real client sends
/// far faster (a kiosk's full batch is ~200 KB), a connection held open a byte at a time far
/// slower. A body must have arrived whole within `PACE_GRACE + size / SLOWEST_PACE`.
pub const SLOWEST_PACE: u64 = 1024;

/// Every request's body, with its deadline set from now (a request without one is left be).
pub async fn with_deadline(limit: Duration, request: Request) -> Request {
    use http_body::Body as _;
    if request.body().is_end_stream() {
        return request;
    }
    request.map(|body| Body::new(DeadlineBody::new(body, limit)))
}

/// Why a body stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BodyTimedOut {
    /// Its deadline (`http.body_timeout_seconds`) passed.
    #[error("the request body did not arrive within {} s", .0.as_secs())]
    Deadline(Duration),
    /// It fell below [`SLOWEST_PACE`] after its grace: `received` bytes in `after`.
    #[error(
        "the request body arrived too slowly: {received} bytes in {} s, under {SLOWEST_PACE} \
         bytes a second",
        .after.as_secs()
    )]
    TooSlow { received: u64, after: Duration },
}

/// Whether `error` (or one of its sources) is a [`BodyTimedOut`], and which.
pub fn timed_out(error: &(dyn Error + 'static)) -> Option<BodyTimedOut> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(timed_out) = error.downcast_ref::<BodyTimedOut>() {
            return Some(*timed_out);
        }
        current = error.source();
    }
    None
}

struct DeadlineBody {
    inner: Body,
    limit: Duration,
    started: Instant,
    until: Instant,
    received: u64,
    /// Made only when the body first has to wait: most bodies never do.
    sleep: Option<Pin<Box<Sleep>>>,
}

impl DeadlineBody {
    fn new(inner: Body, limit: Duration) -> Self {
        let started = Instant::now();
        Self {
            inner,
            limit,
            started,
            until: started + limit,
            received: 0,
            sleep: None,
        }
    }

    /// When the body falls below its pace unless more arrives.
    fn behind_pace_at(&self) -> Instant {
        let earned = Duration::from_millis(self.received.saturating_mul(1000) / SLOWEST_PACE);
        self.started + PACE_GRACE + earned
    }
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn Error + Send + Sync>;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Poll::Ready(frame) = Pin::new(&mut self.inner).poll_frame(cx) {
            if let Some(Ok(data)) = frame
                .as_ref()
                .map(|frame| frame.as_ref().map(Frame::data_ref))
                && let Some(data) = data
            {
                self.received = self.received.saturating_add(data.len() as u64);
            }
            return Poll::Ready(frame.map(|frame| frame.map_err(Into::into)));
        }
        loop {
            let now = Instant::now();
            if now >= self.until {
                return Poll::Ready(Some(Err(Box::new(BodyTimedOut::Deadline(self.limit)))));
            }
            let behind = self.behind_pace_at();
            if now >= behind {
                let cut = BodyTimedOut::TooSlow {
                    received: self.received,
                    after: now.duration_since(self.started),
                };
                return Poll::Ready(Some(Err(Box::new(cut))));
            }
            let wake = behind.min(self.until);
            let sleep = match &mut self.sleep {
                Some(sleep) => {
                    if sleep.deadline() != wake {
                        sleep.as_mut().reset(wake);
                    }
                    sleep
                }
                empty => empty.insert(Box::pin(tokio::time::sleep_until(wake))),
            };
            if sleep.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::body::to_bytes;
    use std::convert::Infallible;

    /// A body that sends `chunk` bytes every `interval`, `chunks` times (for ever: `None`).
    struct Trickle {
        interval: tokio::time::Interval,
        chunk: usize,
        chunks: Option<usize>,
    }

    impl Trickle {
        fn body(every: Duration, chunk: usize, chunks: Option<usize>, limit: Duration) -> Body {
            let mut interval = tokio::time::interval(every);
            interval.reset();
            let trickle = Self {
                interval,
                chunk,
                chunks,
            };
            Body::new(DeadlineBody::new(Body::new(trickle), limit))
        }
    }

    impl http_body::Body for Trickle {
        type Data = Bytes;
        type Error = Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            cx: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Infallible>>> {
            if self.chunks == Some(0) {
                return Poll::Ready(None);
            }
            let chunk = self.chunk;
            self.interval.poll_tick(cx).map(|_| {
                self.chunks = self.chunks.map(|left| left - 1);
                Some(Ok(Frame::data(Bytes::from(vec![b'x'; chunk]))))
            })
        }
    }

    #[tokio::test(start_paused = true)]
    async fn a_trickled_body_is_cut_off_once_its_grace_is_over() {
        let limit = Duration::from_secs(30);
        let prompt = Body::new(DeadlineBody::new(Body::from("{}"), limit));
        assert_eq!(to_bytes(prompt, 64).await.expect("read"), "{}");

        let slow = Trickle::body(Duration::from_millis(500), 1, None, limit);
        let started = Instant::now();
        let error = to_bytes(slow, 1 << 20).await.expect_err("cut off");
        // A byte each half second: four by the end of the grace, which earn 3 ms more (1 KiB/s).
        assert_eq!(started.elapsed(), PACE_GRACE + Duration::from_millis(3));
        assert_eq!(
            timed_out(&error),
            Some(BodyTimedOut::TooSlow {
                received: 4,
                after: PACE_GRACE + Duration::from_millis(3)
            })
        );
        assert_eq!(timed_out(&std::io::Error::other("else")), None);
    }

    #[tokio::test(start_paused = true)]
    async fn a_slow_but_steady_body_passes_and_meets_the_deadline_if_it_never_ends() {
        let limit = Duration::from_secs(30);
        // 2 KiB a second for 12 seconds: twice the slowest pace.
        let steady = Trickle::body(Duration::from_secs(1), 2048, Some(12), limit);
        let started = Instant::now();
        let bytes = to_bytes(steady, 1 << 20).await.expect("read whole");
        assert_eq!((bytes.len(), started.elapsed().as_secs()), (12 * 2048, 12));

        let short = Duration::from_secs(5);
        let endless = Trickle::body(Duration::from_secs(1), 2048, None, short);
        let started = Instant::now();
        let error = to_bytes(endless, 1 << 20).await.expect_err("cut off");
        assert_eq!(started.elapsed(), short);
        assert_eq!(timed_out(&error), Some(BodyTimedOut::Deadline(short)));
    }
}
