//! DumpMessages: the one server-streaming RPC, read a batch at a time.

use super::{classify, CallOpts, Client};
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::ImmutableMessage;
use crate::proto::milvus as m;
use m::dump_messages_response::Response;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// The messages of a DumpMessages stream. The call's deadline covers the whole stream, as in
/// pymilvus; no retries (a stream cannot be resumed where it broke).
pub struct MessageStream {
    client: Arc<Client>,
    stream: Option<tonic::Streaming<m::DumpMessagesResponse>>,
    until: Option<Instant>,
    /// A failure met after some messages of a batch: reported by the next call.
    pending: Option<Error>,
}

impl MessageStream {
    /// Sends the request; the server's first reply is read by `next_batch`.
    pub async fn open(
        client: Arc<Client>,
        req: m::DumpMessagesRequest,
        opts: &CallOpts,
    ) -> Result<Self> {
        client.ensure_open()?;
        let until = client.deadline(opts).map(|d| Instant::now() + d);
        let request = client.request(req, opts);
        let mut svc = client.svc.clone();
        let sent = async { svc.dump_messages(request).await.map_err(Error::from) };
        let stream = within(until, sent)
            .await
            .map_err(|e| e.context("dump_messages"))?
            .into_inner();
        Ok(MessageStream {
            client,
            stream: Some(stream),
            until,
            pending: None,
        })
    }

    /// The next messages: waits for one, then takes those already received, up to `max`.
    /// Empty once the stream has ended; a failure (a server error in the stream, the deadline)
    /// ends it too.
    pub async fn next_batch(&mut self, max: usize) -> Result<Vec<ImmutableMessage>> {
        self.client.ensure_open()?;
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let until = self.until;
        let Some(stream) = self.stream.as_mut() else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        let result = async {
            while out.len() < max.max(1) {
                let next = if out.is_empty() {
                    within(until, async { stream.message().await.map_err(Error::from) }).await?
                } else {
                    // Only what is already here: never wait for a second message.
                    match tokio::time::timeout(Duration::ZERO, stream.message()).await {
                        Ok(r) => r.map_err(Error::from)?,
                        Err(_) => break,
                    }
                };
                match next.and_then(|r| r.response) {
                    None => return Ok(true),
                    Some(Response::Status(s)) => classify::reply(Some(&s))?,
                    Some(Response::Message(msg)) => out.push(msg),
                }
            }
            Ok::<bool, Error>(false)
        }
        .await;
        match result {
            Ok(ended) => {
                if ended {
                    self.stream = None;
                }
                Ok(out)
            }
            Err(e) => {
                self.stream = None;
                let e = e.context("dump_messages");
                if out.is_empty() {
                    return Err(e);
                }
                self.pending = Some(e);
                Ok(out)
            }
        }
    }
}

/// Runs `f` until the stream's deadline.
async fn within<T>(
    until: Option<Instant>,
    f: impl std::future::Future<Output = Result<T>>,
) -> Result<T> {
    match until {
        None => f.await,
        Some(t) => tokio::time::timeout_at(t, f)
            .await
            .map_err(|_| Error::new(ErrorKind::Timeout, "deadline exceeded"))?,
    }
}
