// Package testcontainers is a stub of github.com/testcontainers/testcontainers-go.
package testcontainers

import "context"

type ContainerCustomizer interface{ Customize() }

type option struct{}

func (option) Customize() {}

func WithImage(image string) ContainerCustomizer { return option{} }

type ContainerRequest struct {
	Image        string
	ExposedPorts []string
}

type Container interface{}

func Run(ctx context.Context, img string, opts ...ContainerCustomizer) (Container, error) {
	return nil, nil
}
