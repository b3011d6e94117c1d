package db

import (
	"context"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
)

// ListenerName is the application_name of the LISTEN connection, so an
// operator (or a test) can find it in pg_stat_activity.
const ListenerName = "brug-listen"

// Listen holds one PostgreSQL connection, outside the pool, that LISTENs
// on channel until ctx ends, and hands every payload to on. up(true) is
// called each time the LISTEN is in place, up(false) each time the
// connection is lost (notices sent meanwhile are missed); it reconnects
// with a back-off of up to five seconds.
func Listen(ctx context.Context, url, channel string, on func(payload string), up func(bool), log *slog.Logger) {
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		err := listenOnce(ctx, url, channel, on, func() {
			wait = 100 * time.Millisecond
			up(true)
		}, up)
		if ctx.Err() != nil {
			return
		}
		log.Warn("database listener lost; reconnecting", "channel", channel, "err", err, "retry_in", wait)
		select {
		case <-ctx.Done():
			return
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}

func listenOnce(ctx context.Context, url, channel string, on func(string), connected func(), up func(bool)) error {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return err
	}
	cfg.RuntimeParams["application_name"] = ListenerName
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer func() { _ = conn.Close(context.Background()) }()
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{channel}.Sanitize()); err != nil {
		return err
	}
	connected()
	defer up(false)
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		on(n.Payload)
	}
}
