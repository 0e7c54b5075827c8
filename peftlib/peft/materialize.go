package peft

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/ml/model"
)

// Materialize builds and runs fn once on example inputs, so the store holds every variable
// of the model, initialised, before adapters are added (adapters need the base weights to
// exist to match their targets).
func Materialize[F model.ExecGraphFn](backend compute.Backend, store *model.Store, fn F, inputs ...any) error {
	exec, err := model.NewExec(backend, store, fn)
	if err != nil {
		return fmt.Errorf("peft: materialize: %w", err)
	}
	defer exec.Finalize()
	outs, err := exec.Exec(inputs...)
	if err != nil {
		return fmt.Errorf("peft: materialize: %w", err)
	}
	for _, o := range outs {
		o.FinalizeAll()
	}
	return nil
}
