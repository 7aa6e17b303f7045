//! Closing a client, and sessions: clients that share a connection and add a cluster id to
//! their searches and queries (pymilvus `MilvusClient.session`).

use super::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::proto::common::KeyValuePair;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// The parameter that carries a session's cluster (pymilvus's `CLUSTER_ID`).
const CLUSTER_ID: &str = "cluster_id";

impl Client {
    /// Marks the client closed: every later RPC of it, and of the sessions and iterators made
    /// from it, fails with `ErrorKind::Closed`. An RPC already sent finishes; a call of several
    /// RPCs fails at its next one. Idempotent.
    pub fn close(&self) {
        self.closed[0].store(true, Ordering::SeqCst);
    }

    /// Whether `close` was called on this client or on one it came from.
    pub fn is_closed(&self) -> bool {
        self.closed.iter().any(|c| c.load(Ordering::SeqCst))
    }

    /// `Err(Closed)` once closed; checked before every RPC.
    pub fn ensure_open(&self) -> Result<()> {
        if !self.is_closed() {
            return Ok(());
        }
        let what = if self.closed[0].load(Ordering::SeqCst) {
            if self.cluster_id.is_some() {
                "the session is closed"
            } else {
                "the client is closed"
            }
        } else {
            "the client this session came from is closed"
        };
        Err(Error::new(ErrorKind::Closed, what))
    }

    /// A session: the same connection, headers, database and defaults, with `cluster_id` sent
    /// in the parameters of every search, hybrid search, query (and so get) and iterator page,
    /// as pymilvus's session does. Closing the session leaves this client open; closing this
    /// client closes the session too.
    pub fn session(&self, cluster_id: &str) -> Client {
        let mut closed = vec![Arc::new(AtomicBool::new(false))];
        closed.extend(self.closed.iter().cloned());
        let (db, db_value) = self
            .db_name
            .read()
            .map(|g| g.clone())
            .unwrap_or_else(|p| p.into_inner().clone());
        Client {
            svc: self.svc.clone(),
            channel: self.channel.clone(),
            authorization: self.authorization.clone(),
            identifier: self.identifier.clone(),
            host: self.host.clone(),
            server: self.server.clone(),
            last_flush_all_ts: self.last_flush_all_ts.load(Ordering::SeqCst).into(),
            server_info: self.server_info.clone(),
            build_tags: self.build_tags.clone(),
            db_name: std::sync::RwLock::new((db, db_value)),
            timeout: self.timeout,
            schemas: Mutex::new(Default::default()),
            calls: Default::default(),
            retry: self.retry,
            closed,
            cluster_id: Some(cluster_id.to_string()),
        }
    }

    /// The session's cluster id, None for a client that is no session.
    pub fn cluster_id(&self) -> Option<&str> {
        self.cluster_id.as_deref()
    }

    /// Adds the session's cluster id to a request's parameters (search_params, rank_params or
    /// query_params), replacing one the caller gave, as pymilvus's session does.
    pub(crate) fn tag_cluster(&self, params: &mut Vec<KeyValuePair>) {
        if let Some(id) = &self.cluster_id {
            params.retain(|p| p.key != CLUSTER_ID);
            params.push(KeyValuePair {
                key: CLUSTER_ID.into(),
                value: id.clone(),
            });
        }
    }
}
