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

// startMethod starts the record of method m and returns it with the function to defer on the
// run's named error: it records that error as the run's failure, or else finishes the record
// (and reports a failure to finish).
func startMethod(rec Recorder, m MethodRun, lr float64) (MethodRecord, func(*error), error) {
	r, err := rec.StartMethod(m.Name, methodConfig(m, lr))
	if err != nil {
		return nil, nil, err
	}
	done := func(err *error) {
		if *err != nil {
			_ = r.Fail(*err)
			return
		}
		*err = r.Finish()
	}
	return r, done, nil
}
