//! Requests sent as pre-encoded chunks: the typed path's columns go to the socket as the
//! `Bytes` they were encoded into, without being copied into one message buffer.
//!
//! tonic encodes a request message into its own buffer; here it encodes an empty message and
//! the channel wrapper swaps the body for the chunks (carried in the request's extensions),
//! so tonic still handles headers, deadlines, the reply, trailers and status.

use super::{retry, CallOpts, Client, WithStatus};
use crate::error::{Error, Result};
use bytes::{BufMut, Bytes};
use http_body::Frame;
use std::collections::VecDeque;
use std::pin::Pin;
use std::task::{Context, Poll};
use tonic::transport::Channel;

/// A whole gRPC message body: the 5-byte frame header and the message, in pieces.
#[derive(Clone)]
struct Chunks(Vec<Bytes>);

struct ChunkBody(VecDeque<Bytes>);

impl http_body::Body for ChunkBody {
    type Data = Bytes;
    type Error = std::convert::Infallible;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
    ) -> Poll<Option<std::result::Result<Frame<Bytes>, Self::Error>>> {
        Poll::Ready(self.0.pop_front().map(|b| Ok(Frame::data(b))))
    }

    fn is_end_stream(&self) -> bool {
        self.0.is_empty()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        http_body::SizeHint::with_exact(self.0.iter().map(|b| b.len() as u64).sum())
    }
}

#[derive(Clone)]
struct RawChannel(Channel);

impl tower::Service<http::Request<tonic::body::Body>> for RawChannel {
    type Response = http::Response<tonic::body::Body>;
    type Error = tonic::transport::Error;
    type Future = tonic::transport::channel::ResponseFuture;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<std::result::Result<(), Self::Error>> {
        self.0.poll_ready(cx)
    }

    fn call(&mut self, mut req: http::Request<tonic::body::Body>) -> Self::Future {
        if let Some(Chunks(chunks)) = req.extensions_mut().remove::<Chunks>() {
            *req.body_mut() = tonic::body::Body::new(ChunkBody(chunks.into()));
        }
        self.0.call(req)
    }
}

impl Client {
    /// Sends `head` (a request message whose repeated fields are left empty) followed by
    /// `chunks`, which must be whole encoded fields of the same message. Retried as any RPC
    /// (the chunks are shared, not copied, between attempts). `method` is the RPC's snake-case
    /// name, as `rpc!` takes it.
    pub(crate) async fn raw_unary<M, R>(
        &self,
        method: &'static str,
        head: M,
        chunks: &[Bytes],
        opts: &CallOpts,
    ) -> Result<R>
    where
        M: prost::Message,
        R: prost::Message + Default + WithStatus + Send + 'static,
    {
        let head_len = head.encoded_len();
        let total = head_len + chunks.iter().map(Bytes::len).sum::<usize>();
        let len = u32::try_from(total).map_err(|_| {
            Error::invalid(format!(
                "{method}: a request of {total} bytes is over gRPC's 4 GiB limit"
            ))
        })?;
        let mut first = Vec::with_capacity(5 + head_len);
        first.put_u8(0);
        first.put_u32(len);
        head.encode_raw(&mut first);
        let mut body = Vec::with_capacity(chunks.len() + 1);
        body.push(Bytes::from(first));
        body.extend(chunks.iter().cloned());
        let path = retry::rpc_path(method)?;
        if tracing::enabled!(tracing::Level::DEBUG) {
            let sizes: Vec<usize> = body.iter().take(16).map(Bytes::len).collect();
            let more = if body.len() > 16 { ", ..." } else { "" };
            tracing::debug!(
                "{method}: sending {} bytes in {} chunks (bytes: {sizes:?}{more})",
                total + 5,
                body.len()
            );
        }
        retry::retrying(self, method, opts, |left| {
            let body = body.clone();
            let path = path.clone();
            async move {
                let mut req = self.request((), opts);
                if let Some(left) = left {
                    req.set_timeout(left);
                }
                req.extensions_mut().insert(Chunks(body));
                let mut grpc = tonic::client::Grpc::new(RawChannel(self.channel.clone()))
                    .max_decoding_message_size(usize::MAX);
                grpc.ready().await.map_err(|e| {
                    let s = tonic::Status::unavailable(format!("the connection is not ready: {e}"));
                    (s, true)
                })?;
                grpc.unary(req, path, tonic_prost::ProstCodec::<(), R>::default())
                    .await
                    .map(tonic::Response::into_inner)
                    .map_err(|s| {
                        let unsent = super::classify::not_sent(&s);
                        (s, unsent)
                    })
            }
        })
        .await
    }
}
