// Package mail sends the few emails the platform needs (password reset).
// Sender is the seam: production plugs an SMTP or API sender in; the
// default LogSender records that a message was sent without its body, so
// reset links (which carry a secret) never reach the logs, and FileSender
// writes whole messages to a directory for local development and tests.
package mail

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Message is one plain-text email.
type Message struct {
	To      string
	Subject string
	Body    string
}

// Sender delivers messages.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// LogSender logs recipient and subject only; the body may hold secrets.
type LogSender struct{ Log *slog.Logger }

// Send implements Sender.
func (s LogSender) Send(ctx context.Context, m Message) error {
	s.Log.InfoContext(ctx, "mail not delivered: no mail sender configured",
		slog.String("to", m.To), slog.String("subject", m.Subject))
	return nil
}

// FileSender writes each message to Dir as <time>-<recipient>.eml.
type FileSender struct{ Dir string }

// Send implements Sender.
func (s FileSender) Send(_ context.Context, m Message) error {
	if err := os.MkdirAll(s.Dir, 0o700); err != nil {
		return fmt.Errorf("mail: create outbox: %w", err)
	}
	name := fmt.Sprintf("%d-%s.eml", time.Now().UnixNano(), strings.NewReplacer("/", "_", "@", "_at_").Replace(m.To))
	content := fmt.Sprintf("To: %s\r\nSubject: %s\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n%s\r\n", m.To, m.Subject, m.Body)
	if err := os.WriteFile(filepath.Join(s.Dir, name), []byte(content), 0o600); err != nil {
		return fmt.Errorf("mail: write message: %w", err)
	}
	return nil
}
