//go:build go1.21

package milvus

import (
	"context"
	"log/slog"
	"time"
)

// LevelTrace is the slog level of trace records (below slog.LevelDebug).
const LevelTrace = slog.LevelDebug - 4

// SlogLogger adapts a log/slog handler for SetLogger: each record becomes a slog record
// with its message and the attributes target, and method and call_id inside a call.
//
//	milvus.SetLogger("info,milvus=debug", milvus.SlogLogger(slog.Default().Handler()))
func SlogLogger(h slog.Handler) func(LogRecord) {
	return func(r LogRecord) {
		level := slog.LevelInfo
		switch r.Level {
		case LogError:
			level = slog.LevelError
		case LogWarn:
			level = slog.LevelWarn
		case LogDebug:
			level = slog.LevelDebug
		case LogTrace:
			level = LevelTrace
		}
		ctx := context.Background()
		if !h.Enabled(ctx, level) {
			return
		}
		rec := slog.NewRecord(time.Now(), level, r.Message, 0)
		rec.AddAttrs(slog.String("target", r.Target))
		if r.Method != "" {
			rec.AddAttrs(slog.String("method", r.Method))
		}
		if r.CallID != "" {
			rec.AddAttrs(slog.String("call_id", r.CallID))
		}
		_ = h.Handle(ctx, rec)
	}
}
