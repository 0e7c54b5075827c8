package dqn

// Config configures an Agent. Zero fields take the defaults in brackets: the paper code's
// final settings, except the tied depth (Layers 3 instead of 9) and width (128 instead of
// 200), reduced to fit two CPU cores.
type Config struct {
	States, Actions int     // observation size and number of actions (required)
	Hidden          int     // width [128]
	Layers          int     // applications of the tied hidden layer [3]
	LearningRate    float64 // AdamW [1e-3]
	WeightDecay     float64 // AdamW's decoupled weight decay [0.01, PyTorch's default]
	Gamma           float64 // discount [0.99]
	Tau             float64 // soft target update [0.005]
	Batch           int     // [128]
	Memory          int     // replay capacity [10000]
	GradClip        float64 // gradient value clip [100]
	EpsStart        float64 // [0.9]
	EpsEnd          float64 // [0.05]
	EpsDecay        float64 // steps [1000]
	// EpsilonPerEpisode resets the ε schedule's step count at every episode, as the
	// official code does (a quirk that keeps ε ≥ 0.82 within 100-step episodes). The
	// default is one global schedule.
	EpsilonPerEpisode bool
	Seed              uint64
}

func (c Config) withDefaults() Config {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	if c.Hidden == 0 {
		c.Hidden = 128
	}
	if c.Layers == 0 {
		c.Layers = 3
	}
	if c.Batch == 0 {
		c.Batch = 128
	}
	if c.Memory == 0 {
		c.Memory = 10000
	}
	def(&c.LearningRate, 1e-3)
	def(&c.WeightDecay, 0.01)
	def(&c.Gamma, 0.99)
	def(&c.Tau, 0.005)
	def(&c.GradClip, 100)
	def(&c.EpsStart, 0.9)
	def(&c.EpsEnd, 0.05)
	def(&c.EpsDecay, 1000)
	return c
}
