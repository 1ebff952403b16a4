module conference-camera/tools/egress

go 1.26

tool github.com/livekit/egress/cmd/server

require github.com/livekit/egress v1.14.0

replace github.com/go-gst/go-gst => github.com/livekit/gst-go v0.0.0-20250701011214-e7f61abd14cb
