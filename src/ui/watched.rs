//! Values the screen follows as they change (the printer's state, a catalog published by
//! sync) as iced subscriptions over tokio `watch` channels: nothing is polled.

use std::hash::{Hash, Hasher};

use iced::Subscription;
use iced::futures::{Stream, stream};
use tokio::sync::watch;

/// A watch channel and the name that tells its subscription apart from the others.
struct Watched<T> {
    name: &'static str,
    receiver: watch::Receiver<T>,
}

impl<T> Hash for Watched<T> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.name.hash(state);
    }
}

/// Every value `receiver` sees, the current one first. One stream per `name` runs however
/// often the app asks for its subscriptions.
pub fn subscribe<T>(name: &'static str, receiver: watch::Receiver<T>) -> Subscription<T>
where
    T: Clone + Send + Sync + 'static,
{
    Subscription::run_with(Watched { name, receiver }, values::<T>)
}

fn values<T>(watched: &Watched<T>) -> impl Stream<Item = T> + use<T>
where
    T: Clone + Send + Sync + 'static,
{
    changes(watched.receiver.clone())
}

/// The current value, then each new one; ends when the sender is gone.
pub fn changes<T>(mut receiver: watch::Receiver<T>) -> impl Stream<Item = T>
where
    T: Clone + Send + Sync + 'static,
{
    receiver.mark_changed();
    stream::unfold(receiver, |mut receiver| async move {
        receiver.changed().await.ok()?;
        let value = receiver.borrow_and_update().clone();
        Some((value, receiver))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use iced::futures::StreamExt;

    #[test]
    fn it_tells_the_current_value_then_each_change_then_ends() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let (sender, receiver) = watch::channel(1);
        let mut values = Box::pin(changes(receiver));
        runtime.block_on(async {
            assert_eq!(values.next().await, Some(1));
            sender.send_replace(2);
            assert_eq!(values.next().await, Some(2));
            drop(sender);
            assert_eq!(values.next().await, None);
        });
    }
}
