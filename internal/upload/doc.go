// Package upload checks and cleans the files that citizens attach to their
// feedback, and stores them by content.
//
// A person who reports a cadre under Regulation 124-QĐ/TW must not be
// identified through the files they send: a phone photo carries the GPS
// position where it was taken and the make, model and serial number of the
// phone; a PDF carries the name of its author, the software and the times
// it was written. Sanitize detects a file's type from its content alone,
// refuses everything but JPEG, PNG, WebP and PDF, re-encodes images from
// their pixels (so nothing else of the input survives) and overwrites the
// metadata of PDFs in place. Blobs keeps the cleaned files under the data
// directory, named by their SHA-256.
//
// What is removed, exactly, is documented on Sanitize (images) and scrubPDF
// (PDFs); the tests plant every kind of metadata named there and check that
// none of it comes out.
//
// # Cost
//
// Measured with the benchmarks of this package on the project's 2-core
// server (AMD EPYC, go1.26). Other builds kept it busy, so the figures are
// CPU time per file, which is what the file takes on an idle core; wall
// time was the same at a load average of 6 and more than twice it at 14.
//
//	12-megapixel JPEG photo, 4.8 MB, rotated by EXIF    0.58–0.61 s   240 KB out
//	4000×3000 PNG photo, 13 MB (noise: the worst case)  0.86–0.91 s   2.6 MB out
//	1170×2532 phone screenshot, PNG                     0.18–0.19 s   190 KB out
//	PDF with its information in an object stream        8–12 ms
//
// Most of the photo's time is Go's JPEG decoder (about 0.3 s); the box
// filter and bilinear step of shrink take under 0.1 s, where Catmull-Rom
// on the whole image took 0.9 s. A 50-megapixel image, the largest
// accepted, needs up to about 200 MB while it is decoded, so the server
// should bound how many Sanitize calls run at once (say, to the number of
// CPUs).
package upload
