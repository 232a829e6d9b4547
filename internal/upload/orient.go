package upload

import (
	"bytes"
	"encoding/binary"
	"image"
)

// Phone cameras store the sensor's pixels as they come and record how to
// turn them upright in the EXIF Orientation tag (0x0112, CIPA DC-008
// "Exif 2.32" §4.6.5). Since re-encoding drops EXIF, Sanitize applies the
// orientation to the pixels first; otherwise a portrait photo of a letter
// would arrive lying on its side.

// exifOrientationTag is the TIFF tag number of Orientation.
const exifOrientationTag = 0x0112

// orientation returns the EXIF orientation (1–8) recorded in an image of
// kind k, or 1 when there is none or it cannot be read. It looks only at
// the first EXIF block: the APP1 "Exif" segment of a JPEG, the eXIf chunk of
// a PNG (PNG 1.2 extension, PNG Third Edition), the EXIF chunk of a WebP.
func orientation(data []byte, k kind) int {
	var tiff []byte
	switch k {
	case kindJPEG:
		tiff = jpegEXIF(data)
	case kindPNG:
		tiff = pngChunk(data, "eXIf")
	case kindWebP:
		tiff = riffChunk(data, "EXIF")
	}
	// Some writers keep the JPEG "Exif\0\0" prefix in PNG and WebP too.
	tiff = bytes.TrimPrefix(tiff, []byte("Exif\x00\x00"))
	return tiffOrientation(tiff)
}

// jpegEXIF returns the TIFF structure of the first APP1 Exif segment of a
// JPEG stream, or nil.
func jpegEXIF(data []byte) []byte {
	var tiff []byte
	walkJPEG(data, func(marker byte, payload []byte) bool {
		if marker == 0xe1 && bytes.HasPrefix(payload, []byte("Exif\x00\x00")) {
			tiff = payload[6:]
			return false
		}
		return true
	})
	return tiff
}

// walkJPEG calls f with each marker segment of the JPEG stream data (ITU-T
// T.81 §B.1): the marker byte and the segment's payload, without its length
// field, skipping the entropy-coded data that follows each start of scan.
// The payloads are slices of data, so f may overwrite them in place. It
// returns the offset just after the end-of-image marker, or -1 when f
// returned false or the stream is malformed or truncated first.
func walkJPEG(data []byte, f func(marker byte, payload []byte) bool) int {
	if len(data) < 2 || data[0] != 0xff || data[1] != 0xd8 {
		return -1
	}
	for i := 2; i+2 <= len(data); {
		if data[i] != 0xff {
			return -1
		}
		marker := data[i+1]
		switch {
		case marker == 0xff: // fill byte
			i++
			continue
		case marker == 0xd9: // EOI
			return i + 2
		case marker == 0x01 || 0xd0 <= marker && marker <= 0xd7: // TEM, RSTn: no length
			i += 2
			continue
		}
		if i+4 > len(data) {
			return -1
		}
		n := int(binary.BigEndian.Uint16(data[i+2:]))
		if n < 2 || i+2+n > len(data) {
			return -1
		}
		if !f(marker, data[i+4:i+2+n]) {
			return -1
		}
		i += 2 + n
		if marker != 0xda { // SOS
			continue
		}
		// Entropy-coded data runs to the next marker other than RSTn; a
		// 0xFF in the data itself is followed by 0x00.
		for {
			j := bytes.IndexByte(data[i:], 0xff)
			if j < 0 || i+j+1 >= len(data) {
				return -1
			}
			i += j
			if m := data[i+1]; m != 0 && !(0xd0 <= m && m <= 0xd7) {
				break
			}
			i += 2
		}
	}
	return -1
}

// pngChunk returns the data of the first chunk of type typ in a PNG stream,
// or nil. CRCs are not checked: the decoder checks them.
func pngChunk(data []byte, typ string) []byte {
	for i := 8; i+12 <= len(data); {
		n := int(binary.BigEndian.Uint32(data[i:]))
		if n < 0 || n > len(data)-i-12 {
			return nil
		}
		if string(data[i+4:i+8]) == typ {
			return data[i+8 : i+8+n]
		}
		if string(data[i+4:i+8]) == "IEND" {
			return nil
		}
		i += 12 + n
	}
	return nil
}

// riffChunk returns the data of the first chunk with the FourCC typ in a
// RIFF WEBP stream (RFC 9649 §2.7), or nil.
func riffChunk(data []byte, typ string) []byte {
	for i := 12; i+8 <= len(data); {
		n := int(binary.LittleEndian.Uint32(data[i+4:]))
		if n < 0 || n > len(data)-i-8 {
			return nil
		}
		if string(data[i:i+4]) == typ {
			return data[i+8 : i+8+n]
		}
		i += 8 + n + n&1
	}
	return nil
}

// tiffOrientation reads the Orientation tag of IFD0 of a TIFF structure
// (TIFF 6.0 §2), returning 1 when it is absent, malformed or out of range.
func tiffOrientation(tiff []byte) int {
	if len(tiff) < 8 {
		return 1
	}
	var order binary.ByteOrder
	switch string(tiff[:2]) {
	case "II":
		order = binary.LittleEndian
	case "MM":
		order = binary.BigEndian
	default:
		return 1
	}
	if order.Uint16(tiff[2:]) != 42 {
		return 1
	}
	ifd := order.Uint32(tiff[4:])
	if ifd > uint32(len(tiff)-2) {
		return 1
	}
	n := int(order.Uint16(tiff[ifd:]))
	for i := 0; i < n; i++ {
		e := int(ifd) + 2 + 12*i
		if e+12 > len(tiff) {
			return 1
		}
		if order.Uint16(tiff[e:]) != exifOrientationTag {
			continue
		}
		// Type SHORT (3), count 1: the value sits in the first two bytes
		// of the value field.
		if order.Uint16(tiff[e+2:]) != 3 || order.Uint32(tiff[e+4:]) != 1 {
			return 1
		}
		if v := int(order.Uint16(tiff[e+8:])); 1 <= v && v <= 8 {
			return v
		}
		return 1
	}
	return 1
}

// orient returns img turned upright according to EXIF orientation o: the
// image to display is the stored one mirrored (2, 4), rotated by 180° (3),
// transposed (5), rotated 90° clockwise (6), transversed (7) or rotated 90°
// counter-clockwise (8). img must have its origin at (0, 0).
func orient(img *image.RGBA, o int) *image.RGBA {
	if o < 2 || o > 8 {
		return img
	}
	w, h := img.Rect.Dx(), img.Rect.Dy()
	dw, dh := w, h
	if o >= 5 {
		dw, dh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	for y := 0; y < dh; y++ {
		row := dst.Pix[y*dst.Stride : y*dst.Stride+4*dw]
		for x := 0; x < dw; x++ {
			var sx, sy int
			switch o {
			case 2:
				sx, sy = w-1-x, y
			case 3:
				sx, sy = w-1-x, h-1-y
			case 4:
				sx, sy = x, h-1-y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, h-1-x
			case 7:
				sx, sy = w-1-y, h-1-x
			case 8:
				sx, sy = w-1-y, x
			}
			copy(row[4*x:4*x+4], img.Pix[sy*img.Stride+4*sx:])
		}
	}
	return dst
}
