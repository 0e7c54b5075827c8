package threebody

import "math"

// Vec is a 3-D vector.
type Vec [3]float64

func (a Vec) add(b Vec) Vec             { return Vec{a[0] + b[0], a[1] + b[1], a[2] + b[2]} }
func (a Vec) sub(b Vec) Vec             { return Vec{a[0] - b[0], a[1] - b[1], a[2] - b[2]} }
func (a Vec) scale(s float64) Vec       { return Vec{a[0] * s, a[1] * s, a[2] * s} }
func (a Vec) dot(b Vec) float64         { return a[0]*b[0] + a[1]*b[1] + a[2]*b[2] }
func (a Vec) norm() float64             { return math.Sqrt(a.dot(a)) }
func (a Vec) axpy(s float64, b Vec) Vec { return Vec{a[0] + s*b[0], a[1] + s*b[1], a[2] + s*b[2]} }

// System is the state of N gravitating point masses (G = 1).
type System struct {
	Mass []float64
	Pos  []Vec
	Vel  []Vec
	Time float64
	// ForceEvals counts evaluations of all pairwise accelerations (and jerks), the
	// deterministic cost measure.
	ForceEvals int
}

// Clone returns a deep copy.
func (s *System) Clone() *System {
	return &System{Mass: append([]float64(nil), s.Mass...), Pos: append([]Vec(nil), s.Pos...),
		Vel: append([]Vec(nil), s.Vel...), Time: s.Time, ForceEvals: s.ForceEvals}
}

// N is the number of bodies.
func (s *System) N() int { return len(s.Mass) }

// Energy is the total energy: kinetic plus potential.
func (s *System) Energy() float64 {
	var e float64
	for i := range s.Mass {
		e += 0.5 * s.Mass[i] * s.Vel[i].dot(s.Vel[i])
		for j := i + 1; j < s.N(); j++ {
			e -= s.Mass[i] * s.Mass[j] / s.Pos[i].sub(s.Pos[j]).norm()
		}
	}
	return e
}

// accJerk computes accelerations and jerks at the given positions and velocities.
func (s *System) accJerk(pos, vel []Vec, acc, jerk []Vec) {
	s.ForceEvals++
	for i := range acc {
		acc[i], jerk[i] = Vec{}, Vec{}
	}
	for i := 0; i < len(pos); i++ {
		for j := i + 1; j < len(pos); j++ {
			r := pos[j].sub(pos[i])
			v := vel[j].sub(vel[i])
			r2 := r.dot(r)
			inv := 1 / math.Sqrt(r2)
			inv3 := inv / r2
			rv := 3 * r.dot(v) / r2
			a := r.scale(inv3)
			jk := v.scale(inv3).sub(r.scale(inv3 * rv))
			acc[i] = acc[i].axpy(s.Mass[j], a)
			acc[j] = acc[j].axpy(-s.Mass[i], a)
			jerk[i] = jerk[i].axpy(s.Mass[j], jk)
			jerk[j] = jerk[j].axpy(-s.Mass[i], jk)
		}
	}
}

// acc computes accelerations only.
func (s *System) acc(pos []Vec, acc []Vec) {
	s.ForceEvals++
	for i := range acc {
		acc[i] = Vec{}
	}
	for i := 0; i < len(pos); i++ {
		for j := i + 1; j < len(pos); j++ {
			r := pos[j].sub(pos[i])
			r2 := r.dot(r)
			a := r.scale(1 / (r2 * math.Sqrt(r2)))
			acc[i] = acc[i].axpy(s.Mass[j], a)
			acc[j] = acc[j].axpy(-s.Mass[i], a)
		}
	}
}

// CollisionTime is Hut & Makino's hermite0 step scale: the smallest, over pairs, of
// min(r/v, √(r³/(m_i+m_j))).
func (s *System) CollisionTime() float64 {
	t := math.Inf(1)
	for i := 0; i < s.N(); i++ {
		for j := i + 1; j < s.N(); j++ {
			r := s.Pos[i].sub(s.Pos[j]).norm()
			v := s.Vel[i].sub(s.Vel[j]).norm()
			if v > 0 {
				t = min(t, r/v)
			}
			t = min(t, math.Sqrt(r*r*r/(s.Mass[i]+s.Mass[j])))
		}
	}
	return t
}

// ToCentreOfMass shifts positions and velocities to the centre-of-mass frame.
func (s *System) ToCentreOfMass() {
	var m float64
	var p, v Vec
	for i := range s.Mass {
		m += s.Mass[i]
		p = p.axpy(s.Mass[i], s.Pos[i])
		v = v.axpy(s.Mass[i], s.Vel[i])
	}
	p, v = p.scale(1/m), v.scale(1/m)
	for i := range s.Mass {
		s.Pos[i], s.Vel[i] = s.Pos[i].sub(p), s.Vel[i].sub(v)
	}
}
