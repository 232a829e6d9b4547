package upload

import (
	"bytes"
	"fmt"

	"homthu/internal/homthu"
)

// Limits on what Sanitize accepts and returns. The HTTP layer should stop
// reading a request part after MaxInput bytes; Sanitize checks again.
const (
	// MaxInput is the largest image Sanitize reads: a phone photo at full
	// resolution, which the server then downscales.
	MaxInput = 15 << 20
	// MaxOutput is the largest file Sanitize returns, and so the largest PDF
	// it accepts: PDFs are cleaned in place and keep their size.
	MaxOutput = 10 << 20
	// MaxPixels is the largest image, in pixels, that Sanitize decodes: a
	// 50-megapixel phone photo. It bounds the memory a small compressed
	// file can make the server allocate (a "decompression bomb").
	MaxPixels = 50_000_000
	// MaxSide is the longest side, in pixels, of an image Sanitize returns.
	// 1600 px keeps a photographed letter or a screenshot legible while the
	// stored file stays around 200–600 KB.
	MaxSide = 1600
	// MaxNameRunes is the longest display name Sanitize returns, counting
	// its extension.
	MaxNameRunes = 100
)

// The MIME types that Sanitize returns in File.Type.
const (
	TypeJPEG = "image/jpeg"
	TypePNG  = "image/png"
	TypePDF  = "application/pdf"
)

// jpegQuality is the quality of re-encoded photos: at 85 the artefacts of
// Go's encoder are invisible on a phone screen and a 1600×1200 photo takes
// 200–400 KB.
const jpegQuality = 85

// maxDecodedBytes bounds the memory of a decoded image, beyond MaxPixels:
// 16-bit PNGs take 8 bytes a pixel.
const maxDecodedBytes = 256 << 20

// File is an attachment that Sanitize has checked and cleaned: safe to store
// and to serve (as a download, with Content-Disposition: attachment).
type File struct {
	// Data is the cleaned content.
	Data []byte
	// Type is the MIME type of Data, detected from the content: TypeJPEG,
	// TypePNG or TypePDF.
	Type string
	// Name is a display name safe to show and to offer as a download name:
	// no directory, no control or bidirectional-override characters, NFC,
	// at most MaxNameRunes runes, ending in the extension of Type.
	Name string
	// Size is len(Data).
	Size int64
}

// kind is the type of an input file, detected from its first bytes.
type kind int

const (
	kindUnknown kind = iota
	kindJPEG
	kindPNG
	kindWebP
	kindPDF
)

// sniff detects the type of data from its magic bytes (ISO/IEC 10918-1 SOI
// marker, the PNG signature of RFC 2083, the RIFF/WEBP header of RFC 9649,
// the %PDF- header of ISO 32000). The file name and the client's
// Content-Type are never consulted: both are chosen by the sender.
func sniff(data []byte) kind {
	switch {
	case bytes.HasPrefix(data, []byte("\xff\xd8\xff")):
		return kindJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return kindPNG
	case len(data) >= 12 && string(data[:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return kindWebP
	case bytes.HasPrefix(data, []byte("%PDF-")):
		return kindPDF
	}
	return kindUnknown
}

// Sanitize checks an uploaded file by its content and returns a cleaned copy
// that carries no metadata about the person who sent it (Regulation 124-QĐ/TW
// protects the person who reports; DESIGN.md: "metadata stripped from their
// files"):
//
//   - JPEG, PNG and WebP images are decoded, turned upright by their EXIF
//     orientation, downscaled so that the longer side is at most MaxSide
//     pixels and encoded again from the pixels alone: JPEG for JPEG input and
//     for opaque WebP, PNG for PNG input and for WebP with transparency.
//     Nothing of the input but the pixels survives: no EXIF (GPS position,
//     camera make, model and serial number, time), XMP, IPTC, ICC profile,
//     comment or text chunk, and no bytes appended after the image.
//   - PDF files keep their bytes, except that the document information
//     dictionary, every XMP metadata stream, the file identifier and the
//     metadata segments of embedded JPEG images are overwritten in place; see
//     scrubPDF for exactly what is removed and what is refused.
//
// Anything else (GIF, SVG, HTML, archives, programs, HEIC…) is refused with
// an *homthu.Error of code homthu.EINVALID, a file that is too large with
// homthu.ETOOLARGE; their messages are Vietnamese, for the sender. name is
// the name the sender's device gave the file; it is used only to derive
// File.Name and to name the file in error messages.
func Sanitize(data []byte, name string) (File, error) {
	k := sniff(data)
	shown := shownName(name)
	switch {
	case k == kindUnknown:
		return File{}, fmt.Errorf("upload.Sanitize: %w", homthu.Errorf(homthu.EINVALID,
			"Tệp “%s” không phải ảnh JPEG, PNG, WebP hoặc tệp PDF. Hệ thống chỉ nhận ảnh chụp (JPEG, PNG, WebP) và tệp PDF; với loại tệp khác, xin chụp ảnh màn hình hoặc lưu thành PDF rồi gửi lại.", shown))
	case k == kindPDF && len(data) > MaxOutput:
		return File{}, fmt.Errorf("upload.Sanitize: %d bytes: %w", len(data), tooLarge(shown, MaxOutput))
	case len(data) > MaxInput:
		return File{}, fmt.Errorf("upload.Sanitize: %d bytes: %w", len(data), tooLarge(shown, MaxInput))
	}

	var (
		out []byte
		typ string
		err error
	)
	if k == kindPDF {
		out, err = scrubPDF(data, shown)
		typ = TypePDF
		if err == nil {
			// The cleaned file must read back: a damaged input that the
			// scrubber read leniently (a truncated stream, overlapping
			// objects) can come out as a file this very check could not
			// open again, and what we cannot read we cannot vouch for.
			if _, rerr := scrubPDF(out, shown); rerr != nil {
				err = homthu.Errorf(homthu.EINVALID, "Tệp PDF “%s” bị hỏng hoặc có cấu trúc mà hệ thống chưa đọc được, nên chưa thể xoá thông tin cá nhân trong đó. Xin mở tệp rồi lưu lại (hoặc in ra PDF) và gửi lại.", shown)
			}
		}
	} else {
		out, typ, err = sanitizeImage(data, k, shown)
	}
	if err != nil {
		return File{}, fmt.Errorf("upload.Sanitize: %w", err)
	}
	if len(out) > MaxOutput {
		return File{}, fmt.Errorf("upload.Sanitize: output %d bytes: %w", len(out), tooLarge(shown, MaxOutput))
	}
	return File{Data: out, Type: typ, Name: SafeName(name, typ), Size: int64(len(out))}, nil
}

func tooLarge(shown string, limit int) error {
	return homthu.Errorf(homthu.ETOOLARGE, "Tệp “%s” quá lớn: tối đa %d MB.", shown, limit>>20)
}
