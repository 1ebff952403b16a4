// Command loadgen is the load of `npm run bench:scale`: a channel's people as LiveKit's
// Go SDK clients that publish real, pre-encoded media (no encoding here, so the load
// costs little beside what it measures), and subscribe-only clients that receive what
// a room of people who see each other would.
//
// Each publisher sends a camera (H.264 simulcast, two layers, looped) and a microphone
// (Opus in Ogg, one packet per page, looped): the first `-talkers` of them speak, the
// others send a quiet room (a silent microphone of a real meeting). The media files are
// made by scripts/lib/bench-media.mjs.
//
// Why not `lk perf load-test`: the Go module proxy serves livekit-cli with its media
// resources as Git LFS pointers, so its publishers sent no audio or video at all.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/livekit/protocol/auth"
	"github.com/livekit/protocol/livekit"
	lksdk "github.com/livekit/server-sdk-go/v2"
	"github.com/pion/webrtc/v4"
	"github.com/pion/webrtc/v4/pkg/media"
	"github.com/pion/webrtc/v4/pkg/media/h264reader"
	"github.com/pion/webrtc/v4/pkg/media/oggreader"
)

// oggLoop sends an Ogg Opus file's packets, one per page, every 20 ms, forever.
type oggLoop struct {
	data   []byte
	reader *oggreader.OggReader
}

func (o *oggLoop) NextSample(context.Context) (media.Sample, error) {
	for attempt := 0; attempt < 4; attempt++ {
		if o.reader == nil {
			r, _, err := oggreader.NewWith(bytes.NewReader(o.data))
			if err != nil {
				return media.Sample{}, err
			}
			o.reader = r
		}
		page, _, err := o.reader.ParseNextPage()
		if errors.Is(err, io.EOF) {
			o.reader = nil
			continue
		}
		if err != nil {
			return media.Sample{}, err
		}
		if bytes.HasPrefix(page, []byte("OpusTags")) {
			continue
		}
		return media.Sample{Data: page, Duration: 20 * time.Millisecond}, nil
	}
	return media.Sample{}, errors.New("ogg file has no audio pages")
}
func (o *oggLoop) OnBind() error   { return nil }
func (o *oggLoop) OnUnbind() error { return nil }
func (o *oggLoop) Close() error    { return nil }

// h264Loop sends an Annex-B H.264 file frame by frame at its frame rate, forever:
// parameter sets go with the slice that follows them.
type h264Loop struct {
	data   []byte
	frame  time.Duration
	reader *h264reader.H264Reader
}

func (h *h264Loop) NextSample(context.Context) (media.Sample, error) {
	var au []byte
	for rewinds := 0; rewinds < 2; {
		if h.reader == nil {
			r, err := h264reader.NewReader(bytes.NewReader(h.data))
			if err != nil {
				return media.Sample{}, err
			}
			h.reader = r
		}
		nal, err := h.reader.NextNAL()
		if errors.Is(err, io.EOF) {
			h.reader = nil
			rewinds++
			continue
		}
		if err != nil {
			return media.Sample{}, err
		}
		au = append(au, 0, 0, 0, 1)
		au = append(au, nal.Data...)
		if nal.UnitType == h264reader.NalUnitTypeCodedSliceNonIdr || nal.UnitType == h264reader.NalUnitTypeCodedSliceIdr {
			return media.Sample{Data: au, Duration: h.frame}, nil
		}
	}
	return media.Sample{}, errors.New("h264 file has no frames")
}
func (h *h264Loop) OnBind() error   { return nil }
func (h *h264Loop) OnUnbind() error { return nil }
func (h *h264Loop) Close() error    { return nil }

type layer struct {
	file          string
	width, height int
	kbps, fps     int
	quality       livekit.VideoQuality
}

func token(key, secret, room, identity string, publish bool) (string, error) {
	at := auth.NewAccessToken(key, secret)
	at.SetVideoGrant(&auth.VideoGrant{RoomJoin: true, Room: room, CanPublish: &publish}).SetIdentity(identity).SetName(identity).SetValidFor(2 * time.Hour)
	return at.ToJWT()
}

func must(err error, what string) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "loadgen: %s: %v\n", what, err)
		os.Exit(1)
	}
}

func main() {
	url := flag.String("url", "ws://127.0.0.1:7880", "LiveKit URL")
	room := flag.String("room", "", "room name")
	prefix := flag.String("identity-prefix", "lg", "identity prefix")
	pubs := flag.Int("publishers", 4, "people with camera and microphone")
	talkers := flag.Int("talkers", 1, "how many of them speak (the rest send a quiet room)")
	audio := flag.Bool("audio", true, "publish microphones")
	subs := flag.Int("subscribers", 4, "subscribe-only clients")
	speech := flag.String("speech", "", "Ogg Opus file: a talker's microphone")
	quiet := flag.String("quiet", "", "Ogg Opus file: a silent microphone")
	low := flag.String("video-low", "", "H.264 file, 320x180 15 fps 150 kbps")
	high := flag.String("video-high", "", "H.264 file, 640x360 20 fps 400 kbps")
	duration := flag.Duration("duration", time.Minute, "how long to stay")
	flag.Parse()
	key, secret := os.Getenv("LIVEKIT_API_KEY"), os.Getenv("LIVEKIT_API_SECRET")
	if *room == "" || key == "" || secret == "" {
		must(errors.New("-room, LIVEKIT_API_KEY and LIVEKIT_API_SECRET are required"), "usage")
	}
	read := func(p string) []byte {
		if p == "" {
			return nil
		}
		b, err := os.ReadFile(p)
		must(err, "reading "+p)
		return b
	}
	speechData, quietData := read(*speech), read(*quiet)
	layers := []layer{
		{file: *low, width: 320, height: 180, kbps: 150, fps: 15, quality: livekit.VideoQuality_LOW},
		{file: *high, width: 640, height: 360, kbps: 400, fps: 20, quality: livekit.VideoQuality_MEDIUM},
	}
	video := map[string][]byte{}
	for _, l := range layers {
		if l.file != "" {
			video[l.file] = read(l.file)
		}
	}

	var rooms []*lksdk.Room
	var mu sync.Mutex
	connect := func(identity string, publish bool) *lksdk.Room {
		tok, err := token(key, secret, *room, identity, publish)
		must(err, "token")
		cb := &lksdk.RoomCallback{ParticipantCallback: lksdk.ParticipantCallback{
			// Subscribers read and drop what they receive, as a receiving browser would.
			OnTrackSubscribed: func(track *webrtc.TrackRemote, _ *lksdk.RemoteTrackPublication, _ *lksdk.RemoteParticipant) {
				go func() {
					buf := make([]byte, 1500)
					for {
						if _, _, err := track.Read(buf); err != nil {
							return
						}
					}
				}()
			},
		}}
		r, err := lksdk.ConnectToRoomWithToken(*url, tok, cb, lksdk.WithAutoSubscribe(!publish))
		must(err, "connecting "+identity)
		mu.Lock()
		rooms = append(rooms, r)
		mu.Unlock()
		return r
	}

	for i := 0; i < *pubs; i++ {
		r := connect(fmt.Sprintf("%s_pub_%d", *prefix, i), true)
		if len(video) == len(layers) {
			var tracks []*lksdk.LocalTrack
			for _, l := range layers {
				t, err := lksdk.NewLocalTrack(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeH264, ClockRate: 90000},
					lksdk.WithSimulcast("camera", &livekit.VideoLayer{Quality: l.quality, Width: uint32(l.width), Height: uint32(l.height), Bitrate: uint32(l.kbps * 1000)}))
				must(err, "video track")
				must(t.StartWrite(&h264Loop{data: video[l.file], frame: time.Second / time.Duration(l.fps)}, nil), "video write")
				tracks = append(tracks, t)
			}
			_, err := r.LocalParticipant.PublishSimulcastTrack(tracks, &lksdk.TrackPublicationOptions{Name: "camera", Source: livekit.TrackSource_CAMERA, VideoWidth: 640, VideoHeight: 360})
			must(err, "publishing the camera")
		}
		if *audio {
			data := quietData
			if i < *talkers {
				data = speechData
			}
			if data == nil {
				must(errors.New("-speech and -quiet are required with -audio"), "usage")
			}
			t, err := lksdk.NewLocalTrack(webrtc.RTPCodecCapability{MimeType: webrtc.MimeTypeOpus, ClockRate: 48000, Channels: 2})
			must(err, "audio track")
			must(t.StartWrite(&oggLoop{data: data}, nil), "audio write")
			_, err = r.LocalParticipant.PublishTrack(t, &lksdk.TrackPublicationOptions{Name: "microphone", Source: livekit.TrackSource_MICROPHONE})
			must(err, "publishing the microphone")
		}
	}
	for i := 0; i < *subs; i++ {
		connect(fmt.Sprintf("%s_sub_%d", *prefix, i), false)
	}
	fmt.Printf("loadgen: %s: %d publishers (%d talking), %d subscribers\n", *room, *pubs, min(*talkers, *pubs), *subs)

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, syscall.SIGINT, syscall.SIGTERM)
	select {
	case <-stop:
	case <-time.After(*duration):
	}
	for _, r := range rooms {
		r.Disconnect()
	}
}
