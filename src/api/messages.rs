//! dump_messages: a WAL range, read as an iterator of message pages.

use super::iterator::Pager;
use super::{call_opts, parse_args, to_json};
use crate::client::stream::MessageStream;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::common::{ImmutableMessage, MessageId, WalName};
use crate::proto::milvus as m;
use base64::Engine as _;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// Messages per page at most; a page holds those already received, never waiting for more.
pub(crate) const PAGE: usize = 1000;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DumpArgs {
    pchannel: Option<String>,
    start_message_id: Option<Value>,
    start_timetick: Option<u64>,
    end_timetick: Option<u64>,
    timeout: Option<f64>,
}

/// pymilvus's `dump_messages`: `pchannel`, `start_message_id` (`{"id", "wal_name"}`),
/// optional `start_timetick`, `end_timetick` (0 = none); `timeout` bounds the whole stream.
/// The refusals are pymilvus's, in its order.
pub async fn dump_messages(c: Arc<Client>, args: &str) -> Result<Pager> {
    let a: DumpArgs = parse_args(args)?;
    let pchannel = a
        .pchannel
        .filter(|p| !p.is_empty())
        .ok_or_else(|| Error::invalid("'pchannel' must be provided"))?;
    let start = match a.start_message_id {
        Some(Value::Object(o)) if !o.is_empty() => o,
        _ => {
            return Err(Error::invalid(
                "'start_message_id' must be a non-empty dict with 'id' and 'wal_name' keys",
            ))
        }
    };
    let id = match start.get("id") {
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(Value::String(_)) | Some(Value::Null) | None => {
            return Err(Error::invalid("'start_message_id.id' must be provided"))
        }
        Some(other) => {
            return Err(Error::invalid(format!(
                "'start_message_id.id' must be a string, not {other}"
            )))
        }
    };
    let wal = start
        .get("wal_name")
        .and_then(Value::as_str)
        .and_then(WalName::from_str_name)
        .ok_or_else(|| {
            Error::invalid(format!(
                "'start_message_id.wal_name' must be one of [Unknown, RocksMQ, Pulsar, Kafka, \
                 WoodPecker, Test], got {}",
                start.get("wal_name").unwrap_or(&Value::Null)
            ))
        })?;
    let req = m::DumpMessagesRequest {
        pchannel,
        start_message_id: Some(MessageId {
            id,
            wal_name: wal as i32,
        }),
        start_timetick: a.start_timetick.unwrap_or(0),
        end_timetick: a.end_timetick.unwrap_or(0),
        ..Default::default()
    };
    let opts = call_opts(a.timeout)?;
    Ok(Pager::Messages(MessageStream::open(c, req, &opts).await?))
}

/// One message as pymilvus gives it: `{"message_id": {"id", "wal_name"} or null, "payload"
/// (base64 of the bytes), "properties": {...}}`.
fn message_json(msg: &ImmutableMessage) -> Value {
    let message_id = msg.id.as_ref().map(|i| {
        json!({"id": i.id, "wal_name": WalName::try_from(i.wal_name)
            .map(|w| w.as_str_name().to_string())
            .unwrap_or_else(|_| i.wal_name.to_string())})
    });
    let properties: Map<String, Value> = msg
        .properties
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({
        "message_id": message_id,
        "payload": base64::engine::general_purpose::STANDARD.encode(&msg.payload),
        "properties": properties,
    })
}

/// The next page of messages as a JSON list; `[]` once the stream has ended.
pub(crate) async fn next_messages(s: &mut MessageStream) -> Result<Vec<u8>> {
    let batch = s.next_batch(PAGE).await?;
    to_json(&batch.iter().map(message_json).collect::<Vec<_>>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_message_as_pymilvus_gives_it() {
        let msg = ImmutableMessage {
            id: Some(MessageId {
                id: "42".into(),
                wal_name: WalName::Pulsar as i32,
            }),
            payload: vec![1, 2, 255],
            properties: [("k".to_string(), "v".to_string())].into(),
        };
        assert_eq!(
            message_json(&msg),
            json!({"message_id": {"id": "42", "wal_name": "Pulsar"}, "payload": "AQL/",
                   "properties": {"k": "v"}})
        );
        let bare = ImmutableMessage::default();
        assert_eq!(message_json(&bare)["message_id"], Value::Null);
    }
}
