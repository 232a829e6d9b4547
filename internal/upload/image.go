package upload

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"

	"golang.org/x/image/webp"

	"homthu/internal/homthu"
)

// sanitizeImage decodes an image of kind k, checks its size before decoding
// its pixels, turns it upright, downscales it and encodes the pixels again.
// It returns the new file and its MIME type.
func sanitizeImage(data []byte, k kind, shown string) ([]byte, string, error) {
	cfg, err := decodeConfig(data, k)
	if err != nil || cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, "", fmt.Errorf("image header (%v): %w", err, unreadable(shown))
	}
	pixels := int64(cfg.Width) * int64(cfg.Height)
	if pixels > MaxPixels || pixels*bytesPerPixel(cfg.ColorModel) > maxDecodedBytes {
		return nil, "", fmt.Errorf("image %d×%d: %w", cfg.Width, cfg.Height, homthu.Errorf(homthu.ETOOLARGE,
			"Ảnh “%s” quá lớn: %d × %d điểm ảnh, tối đa %d triệu điểm ảnh. Xin chụp lại ở độ phân giải thấp hơn hoặc gửi ảnh chụp màn hình.",
			shown, cfg.Width, cfg.Height, MaxPixels/1_000_000))
	}
	img, err := decode(data, k)
	if err != nil {
		return nil, "", fmt.Errorf("image: %w: %w", err, unreadable(shown))
	}
	if b := img.Bounds(); b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return nil, "", fmt.Errorf("image %v, header %d×%d: %w", b, cfg.Width, cfg.Height, unreadable(shown))
	}

	rgba := orient(shrink(img), orientation(data, k))

	var buf bytes.Buffer
	typ := TypeJPEG
	if k == kindPNG || k == kindWebP && !rgba.Opaque() {
		typ = TypePNG
		// BestSpeed: on photographs saved as PNG the default level takes
		// three times as long for a file 15 % smaller.
		err = (&png.Encoder{CompressionLevel: png.BestSpeed}).Encode(&buf, rgba)
	} else {
		err = jpeg.Encode(&buf, rgba, &jpeg.Options{Quality: jpegQuality})
	}
	if err != nil {
		return nil, "", fmt.Errorf("encode %s: %w", typ, err)
	}
	return buf.Bytes(), typ, nil
}

func unreadable(shown string) error {
	return homthu.Errorf(homthu.EINVALID,
		"Không đọc được ảnh “%s”: tệp bị hỏng, chưa tải lên hết hoặc dùng dạng ảnh chưa hỗ trợ (như ảnh động). Xin chụp lại hoặc gửi ảnh khác.", shown)
}

func decodeConfig(data []byte, k kind) (image.Config, error) {
	r := bytes.NewReader(data)
	switch k {
	case kindJPEG:
		return jpeg.DecodeConfig(r)
	case kindPNG:
		return png.DecodeConfig(r)
	case kindWebP:
		return webp.DecodeConfig(r)
	}
	return image.Config{}, fmt.Errorf("not an image")
}

func decode(data []byte, k kind) (image.Image, error) {
	r := bytes.NewReader(data)
	switch k {
	case kindJPEG:
		return jpeg.Decode(r)
	case kindPNG:
		return png.Decode(r)
	case kindWebP:
		return webp.Decode(r)
	}
	return nil, fmt.Errorf("not an image")
}

// bytesPerPixel is what the decoders allocate per pixel for an image of
// color model m (at most: YCbCr may be subsampled).
func bytesPerPixel(m color.Model) int64 {
	if _, ok := m.(color.Palette); ok {
		return 1
	}
	switch m {
	case color.GrayModel:
		return 1
	case color.Gray16Model:
		return 2
	case color.YCbCrModel:
		return 3
	case color.RGBA64Model, color.NRGBA64Model:
		return 8
	}
	return 4
}
