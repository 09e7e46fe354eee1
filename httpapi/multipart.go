package httpapi

import (
	"errors"
	"io"
	"mime/multipart"

	"github.com/igny8/igny8-go/errs"
)

// multipartReader returns the "file" part of a multipart body without
// buffering the upload.
func multipartReader(body io.Reader, boundary string) (io.Reader, error) {
	if boundary == "" {
		return nil, errs.Field("content_type", "multipart boundary is missing")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errs.Field("file", "is required")
		}
		if err != nil {
			return nil, errs.Field("file", "the multipart body is malformed")
		}
		if part.FormName() == "file" {
			return part, nil
		}
	}
}
