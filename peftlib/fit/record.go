package fit

// Recorder records the methods a comparison trains (peftlib/results implements it), so every
// notebook run lands in the results database.
type Recorder interface {
	// StartMethod starts recording the training of one method with its configuration.
	StartMethod(method string, config any) (MethodRecord, error)
}

// MethodRecord is one method's recorded run.
type MethodRecord interface {
	LogCurve(metric string, steps []int, values []float64) error
	LogFinal(metric string, value float64) error
	Finish() error
	Fail(cause error) error
}

// noRecord is the recorder used when none is given.
type noRecord struct{}

func (noRecord) StartMethod(string, any) (MethodRecord, error) { return noRecord{}, nil }
func (noRecord) LogCurve(string, []int, []float64) error       { return nil }
func (noRecord) LogFinal(string, float64) error                { return nil }
func (noRecord) Finish() error                                 { return nil }
func (noRecord) Fail(error) error                              { return nil }

func recorderOr(r Recorder) Recorder {
	if r == nil {
		return noRecord{}
	}
	return r
}
