// Width sweep: how close is a finite ReLU MLP to its infinite-width NTK limit, over several seeds per width?
//   ./ntk run scripts/examples/width_sweep.groovy [-Pwidths=64,256,1024,4096] [-Pseeds=3] [-Psteps=300] [-Pthreads=2]
//   (add --resume to continue an interrupted run)
//
// For f(x) = serial(dense(w, bStd: 0.1), relu(), dense(1)) on n = 40 points of S^2 with target
// y = sin(3 x_0) + x_1 x_2, each point (width w, seed s) measures
//   ntk_rel_err      ||Θ_emp(θ_0) − Θ||_F / ||Θ||_F: empirical NTK at initialisation vs the analytic NTK,
//                    expected to shrink like w^(-1/2) (the NTK concentrates at infinite width);
//   train_vs_ntk_gd  ||f_T − f_T^lin|| / ||f_T − f_0|| on the test set: the trained network vs the prediction of
//                    full-batch GD on the analytic NTK from the same f_0 after the same steps (lazy training);
//   test_rmse        the trained network's test error (ntk_test_rmse: the infinite-width mean predictor's, f_0 = 0),
//                    and train_loss its final training loss.
// The report fits the log-log slopes of both errors against the width (about −1/2 each).
import org.ntkworkbench.model.predict.GradientDescentMse

List widths = param('widths', [64, 256, 1024, 4096])
int seeds = param('seeds', 3)
int steps = param('steps', 300)
double lr = param('lr', 1.0d)

experiment('width_sweep') {
    grid width: widths, seed: 0..<seeds
    notes "ReLU MLP serial(dense(w, bStd: 0.1), relu(), dense(1)) on 40 points of S^2, $steps full-batch GD steps at lr $lr; " +
          "$seeds seeds per width. Errors against the analytic infinite-width NTK shrink like width^-1/2."

    data { p ->
        // The same data for every point: fixed data seeds, independent of the point's seed.
        def x = sphere(40, dim: 3, seed: 1)
        def xTest = sphere(200, dim: 3, seed: 2)
        def y = Tensor.zeros(40, 1), yTest = Tensor.zeros(200, 1)
        for (int i = 0; i < 40; i++) y.set(Math.sin(3 * x.get(i, 0)) + x.get(i, 1) * x.get(i, 2), i, 0)
        for (int i = 0; i < 200; i++) yTest.set(Math.sin(3 * xTest.get(i, 0)) + xTest.get(i, 1) * xTest.get(i, 2), i, 0)
        [x: x, y: y, xTest: xTest, yTest: yTest]
    }

    model { p -> serial(dense(p.width, bStd: 0.1), relu(), dense(1)) }

    // Trained by the Training service on ctx.x, ctx.y from net.init(p.seed, 3).
    train { p, ctx -> [steps: steps, lr: lr] }

    analyse { p, ctx ->
        def net = ctx.model
        def p0 = net.init(p.seed, 3)                       // the initial parameters training started from
        def exact = net.kernel(ctx.x).ntk()
        def empirical = net.empiricalNtk(p0, ctx.x)
        def f0 = net.apply(p0, ctx.x), f0Test = net.apply(p0, ctx.xTest)
        def fT = net.apply(ctx.params, ctx.xTest)
        def gd = new GradientDescentMse(exact, ctx.y, lr)
        def kTest = net.kernel(ctx.xTest, ctx.x).ntk()
        def lin = gd.testDiscrete(steps, f0, f0Test, kTest)
        // The infinite-width network's mean prediction (f_0 = 0), the same for every point: a reference line.
        def mean = gd.testDiscrete(steps, Tensor.zeros(40, 1), Tensor.zeros(200, 1), kTest)
        [ntk_rel_err    : (empirical - exact).norm() / exact.norm(),
         train_vs_ntk_gd: (fT - lin).norm() / (fT - f0Test).norm(),
         test_rmse      : (fT - ctx.yTest).norm() / Math.sqrt(200),
         ntk_test_rmse  : (mean - ctx.yTest).norm() / Math.sqrt(200),
         train_loss     : ctx.training.finalLoss()]
    }

    report { r ->
        table('by_width', groupBy: 'width')
        def ntk = series(x: 'width', y: 'ntk_rel_err'), gd = series(x: 'width', y: 'train_vs_ntk_gd')
        plot('error_vs_width', series: ['empirical vs analytic NTK at init': ntk, 'trained net vs NTK gradient descent': gd],
             title: "Distance to the infinite-width NTK (mean of $seeds seeds)", xlabel: 'width', ylabel: 'relative error',
             logX: true, logY: true)
        plot('test_rmse_vs_width', series: ["trained MLP (mean of $seeds seeds)": series(x: 'width', y: 'test_rmse'),
                                            'infinite-width NTK, f_0 = 0': series(x: 'width', y: 'ntk_test_rmse')],
             title: "Test RMSE after $steps GD steps", xlabel: 'width', ylabel: 'test RMSE', logX: true)
        // Least-squares slope of log(error) against log(width).
        def slope = { List xy ->
            double[] lx = xy[0].collect { Math.log(it) }, ly = xy[1].collect { Math.log(it) }
            double mx = lx.sum() / lx.length, my = ly.sum() / ly.length
            (0..<lx.length).sum { (lx[it] - mx) * (ly[it] - my) } / (0..<lx.length).sum { (lx[it] - mx) ** 2 }
        }
        [ntk_rel_err_slope: slope(ntk), train_vs_ntk_gd_slope: slope(gd)]
    }
}
