// The catalogue of explicit Runge–Kutta tableaux. Coefficients are written as the references print
// them, as exact ratios, and converted to Double once (see ExactRatio). The tests re-validate every
// entry through the throwing initializer and check its order conditions and measured convergence.

extension ButcherTableau {
    /// Forward Euler, `y_{n+1} = y_n + h F(t_n, y_n)`: the step of a ResNet block.
    /// ```
    /// 0 | 0
    /// --+--
    ///   | 1
    /// ```
    /// Order: 1; 1 evaluation per step.
    ///
    /// Reference: Butcher 2016, *Numerical Methods for Ordinary Differential Equations*, §20 (the
    /// Euler method); Hairer, Nørsett & Wanner 1993, *Solving Ordinary Differential Equations I*, §II.1.
    public static let forwardEuler = catalogue(
        "forwardEuler", order: 1,
        a: [[0]],
        b: [1],
        c: [0])

    /// The explicit midpoint rule (Runge 1895).
    /// ```
    ///  0  |  0   0
    /// 1/2 | 1/2  0
    /// ----+--------
    ///     |  0   1
    /// ```
    /// Order: 2; 2 evaluations per step.
    ///
    /// Reference: C. Runge 1895, Math. Ann. 46; Hairer, Nørsett & Wanner 1993, §II.1;
    /// Butcher 2016, §23 and §32 (low-order explicit methods).
    public static let explicitMidpoint = catalogue(
        "explicitMidpoint", order: 2,
        a: [[0, 0],
            [1/2, 0]],
        b: [0, 1],
        c: [0, 1/2])

    /// Heun's method: the explicit trapezoidal rule (a second-order RK2, not Heun's third-order method).
    /// ```
    /// 0 |  0    0
    /// 1 |  1    0
    /// --+----------
    ///   | 1/2  1/2
    /// ```
    /// Order: 2; 2 evaluations per step.
    ///
    /// Reference: K. Heun 1900, Z. Math. Phys. 45; Butcher 2016, §23 and §32; Hairer, Nørsett &
    /// Wanner 1993, §II.1.
    public static let heun = catalogue(
        "heun", order: 2,
        a: [[0, 0],
            [1, 0]],
        b: [1/2, 1/2],
        c: [0, 1])

    /// Ralston's second-order method (minimum bound on the local truncation error among RK2).
    /// ```
    ///  0  |  0    0
    /// 2/3 | 2/3   0
    /// ----+----------
    ///     | 1/4  3/4
    /// ```
    /// Order: 2; 2 evaluations per step.
    ///
    /// Reference: A. Ralston 1962, "Runge–Kutta methods with minimum error bounds", Math. Comp. 16;
    /// Butcher 2016, §32.
    public static let ralston = catalogue(
        "ralston", order: 2,
        a: [[0, 0],
            [2/3, 0]],
        b: [1/4, 3/4],
        c: [0, 2/3])

    /// Kutta's third-order method.
    /// ```
    ///  0  |  0    0    0
    /// 1/2 | 1/2   0    0
    ///  1  | -1    2    0
    /// ----+---------------
    ///     | 1/6  2/3  1/6
    /// ```
    /// Order: 3; 3 evaluations per step.
    ///
    /// Reference: W. Kutta 1901, Z. Math. Phys. 46; Hairer, Nørsett & Wanner 1993, §II.1;
    /// Butcher 2016, §32.
    public static let kutta3 = catalogue(
        "kutta3", order: 3,
        a: [[0, 0, 0],
            [1/2, 0, 0],
            [-1, 2, 0]],
        b: [1/6, 2/3, 1/6],
        c: [0, 1/2, 1])

    /// The strong-stability-preserving third-order method SSPRK(3,3) of Shu and Osher.
    /// ```
    ///  0  |  0    0    0
    ///  1  |  1    0    0
    /// 1/2 | 1/4  1/4   0
    /// ----+---------------
    ///     | 1/6  1/6  2/3
    /// ```
    /// Order: 3; 3 evaluations per step.
    ///
    /// Reference: C.-W. Shu & S. Osher 1988, "Efficient implementation of essentially
    /// non-oscillatory shock-capturing schemes", J. Comput. Phys. 77, 439–471.
    public static let ssprk3 = catalogue(
        "ssprk3", order: 3,
        a: [[0, 0, 0],
            [1, 0, 0],
            [1/4, 1/4, 0]],
        b: [1/6, 1/6, 2/3],
        c: [0, 1, 1/2])

    /// The classical fourth-order Runge–Kutta method ("the" RK4; not the 3/8 rule).
    /// ```
    ///  0  |  0    0    0    0
    /// 1/2 | 1/2   0    0    0
    /// 1/2 |  0   1/2   0    0
    ///  1  |  0    0    1    0
    /// ----+--------------------
    ///     | 1/6  1/3  1/3  1/6
    /// ```
    /// Order: 4; 4 evaluations per step.
    ///
    /// Reference: W. Kutta 1901; Hairer, Nørsett & Wanner 1993, §II.1, Table 1.2 (left);
    /// Butcher 2016, §23 and §32.
    public static let rk4Classic = catalogue(
        "rk4Classic", order: 4,
        a: [[0, 0, 0, 0],
            [1/2, 0, 0, 0],
            [0, 1/2, 0, 0],
            [0, 0, 1, 0]],
        b: [1/6, 1/3, 1/3, 1/6],
        c: [0, 1/2, 1/2, 1])

    /// Kutta's 3/8 rule, the other classical fourth-order method.
    /// ```
    ///  0  |   0    0    0    0
    /// 1/3 |  1/3   0    0    0
    /// 2/3 | -1/3   1    0    0
    ///  1  |   1   -1    1    0
    /// ----+---------------------
    ///     |  1/8  3/8  3/8  1/8
    /// ```
    /// Order: 4; 4 evaluations per step.
    ///
    /// Reference: W. Kutta 1901; Hairer, Nørsett & Wanner 1993, §II.1, Table 1.2 (right, "3/8-rule");
    /// Butcher 2016, §32.
    public static let rk4ThreeEighths = catalogue(
        "rk4ThreeEighths", order: 4,
        a: [[0, 0, 0, 0],
            [1/3, 0, 0, 0],
            [-1/3, 1, 0, 0],
            [1, -1, 1, 0]],
        b: [1/8, 3/8, 3/8, 1/8],
        c: [0, 1/3, 2/3, 1])

    /// The Bogacki–Shampine 3(2) pair (FSAL), with an embedded second-order solution.
    /// ```
    ///  0  |  0    0    0    0
    /// 1/2 | 1/2   0    0    0
    /// 3/4 |  0   3/4   0    0
    ///  1  | 2/9  1/3  4/9   0
    /// ----+---------------------
    ///     | 2/9  1/3  4/9   0      order 3
    ///     | 7/24 1/4  1/3  1/8     bHat, order 2
    /// ```
    /// Order: 3 (embedded 2); 4 evaluations per step here (the fixed-step driver does not reuse
    /// the FSAL stage).
    ///
    /// Reference: P. Bogacki & L. F. Shampine 1989, "A 3(2) pair of Runge–Kutta formulas",
    /// Appl. Math. Lett. 2(4), 321–325; Butcher 2016, §33 (methods with error estimates).
    public static let bogackiShampine32 = catalogue(
        "bogackiShampine32", order: 3,
        a: [[0, 0, 0, 0],
            [1/2, 0, 0, 0],
            [0, 3/4, 0, 0],
            [2/9, 1/3, 4/9, 0]],
        b: [2/9, 1/3, 4/9, 0],
        c: [0, 1/2, 3/4, 1],
        bHat: [7/24, 1/4, 1/3, 1/8], embeddedOrder: 2)

    /// The Dormand–Prince 5(4) pair (DOPRI5, FSAL, 7 stages), with an embedded fourth-order solution.
    ///
    /// Order: 5 (embedded 4); 7 evaluations per step here (the fixed-step driver does not reuse
    /// the FSAL stage). The order-condition checker stops at order 4, so
    /// ``measuredAlgebraicOrder`` reports 4 for it; order 5 is confirmed by the convergence study.
    ///
    /// Reference: J. R. Dormand & P. J. Prince 1980, "A family of embedded Runge–Kutta formulae",
    /// J. Comput. Appl. Math. 6(1), 19–26; Hairer, Nørsett & Wanner 1993, §II.5, Table 5.2;
    /// Butcher 2016, §33.
    public static let dormandPrince54 = catalogue(
        "dormandPrince54", order: 5,
        a: [[0, 0, 0, 0, 0, 0, 0],
            [1/5, 0, 0, 0, 0, 0, 0],
            [3/40, 9/40, 0, 0, 0, 0, 0],
            [44/45, -56/15, 32/9, 0, 0, 0, 0],
            [19372/6561, -25360/2187, 64448/6561, -212/729, 0, 0, 0],
            [9017/3168, -355/33, 46732/5247, 49/176, -5103/18656, 0, 0],
            [35/384, 0, 500/1113, 125/192, -2187/6784, 11/84, 0]],
        b: [35/384, 0, 500/1113, 125/192, -2187/6784, 11/84, 0],
        c: [0, 1/5, 3/10, 4/5, 8/9, 1, 1],
        bHat: [5179/57600, 0, 7571/16695, 393/640, -92097/339200, 187/2100, 1/40], embeddedOrder: 4)

    /// Converts a catalogue entry written in exact ratios, once.
    private static func catalogue(
        _ name: String, order: Int, a: [[ExactRatio]], b: [ExactRatio], c: [ExactRatio],
        bHat: [ExactRatio]? = nil, embeddedOrder: Int? = nil
    ) -> ButcherTableau {
        ButcherTableau(unvalidatedName: name, a: a.values, b: b.values, c: c.values, order: order,
                       bHat: bHat?.values, embeddedOrder: embeddedOrder)
    }
}
