package mail

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestFileSenderWritesWholeMessage(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "outbox")
	s := FileSender{Dir: dir}
	if err := s.Send(context.Background(), Message{To: "a@b.example", Subject: "Hi", Body: "secret link"}); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(dir)
	if err != nil || len(files) != 1 {
		t.Fatalf("want one message, got %v %v", files, err)
	}
	raw, _ := os.ReadFile(filepath.Join(dir, files[0].Name()))
	for _, want := range []string{"To: a@b.example", "Subject: Hi", "secret link"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("message lacks %q: %s", want, raw)
		}
	}
}

func TestLogSenderNeverLogsTheBody(t *testing.T) {
	var buf bytes.Buffer
	s := LogSender{Log: slog.New(slog.NewJSONHandler(&buf, nil))}
	if err := s.Send(context.Background(), Message{To: "a@b.example", Subject: "Reset", Body: "token=abc123"}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "abc123") || !strings.Contains(buf.String(), "a@b.example") {
		t.Fatalf("log: %s", buf.String())
	}
}
